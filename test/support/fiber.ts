/**
 * A customer with fiber service since 2025 on FIB-100 ($65.00 plan + $10.00 router a month: $900.00
 * a year), made through the services: budget billing, deposits and refunds need an account with a
 * service in force and no history, and a plan price needs none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { customers } from '../../src/customer/index.ts';
import type { Actor } from '../../src/platform/actor.ts';
import type { Clock } from '../../src/platform/clock.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { premises } from '../../src/premise/index.ts';
import { tariffs } from '../../src/tariff/index.ts';
import { repoRoot } from './cli.ts';

export const loadFiberRate = (db: Db, actor: Actor, clock: Clock) =>
  tariffs.loadTariff(db, actor, clock, JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples/FIB-100.json'), 'utf8')), 'Rates adopted');

export async function fiberCustomer(db: Db, actor: Actor, clock: Clock, who: { firstName: string; lastName: string; line1: string }) {
  const customer = await customers.createCustomer(db, actor, { kind: 'person', firstName: who.firstName, lastName: who.lastName });
  const address = { line1: who.line1, city: 'Wenatchee', state: 'WA', postalCode: '98801' };
  const account = await customers.createAccount(db, actor, clock, { customerId: customer.id, customerClass: 'residential', billingCycle: 4, billingAddress: address });
  const premise = await premises.createPremise(db, actor, { address, premiseType: 'single_family', area: 'WEN' });
  const point = await premises.addServicePoint(db, actor, premise.id, { service: 'fiber', status: 'active' });
  const agreement = await premises.createAgreement(db, actor, { accountId: account.id, servicePointId: point.id, rateCode: 'FIB-100', startDate: '2025-01-01' });
  return { customer, account, agreement, address };
}
