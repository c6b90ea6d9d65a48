import { auditTrail, type AuditEvent } from '../audit/index.ts';
import { customers, type Account, type Alert, type CustomerDetail } from '../customer/index.ts';
import { ledger } from '../ledger/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { premises, type AccountService } from '../premise/index.ts';

/**
 * The account page ("360 view") in one call: the account, its customer, services with premises
 * and meters, alerts and the latest changes. Later contexts (ledger, billing, collections) add
 * their parts here. A workflow: it only calls other contexts' public faces.
 */
export interface AccountOverview {
  account: Account;
  customer: CustomerDetail;
  services: AccountService[];
  alerts: Alert[];
  /** The ledger balance (positive: the customer owes), as of now. */
  balance: { amountCents: number; asOf: string };
  recentActivity: AuditEvent[];
}

export async function accountOverview(db: Db, clock: Clock, accountId: number): Promise<AccountOverview> {
  const account = await customers.getAccount(db, accountId);
  const [customer, services, alerts, activity, balanceCents] = await Promise.all([
    customers.getCustomer(db, account.customerId),
    premises.servicesOfAccount(db, accountId),
    customers.listAlerts(db, clock, accountId),
    auditTrail(db, { accountId, limit: 10 }),
    ledger.balanceOf(db, accountId),
  ]);
  return { account, customer, services, alerts, balance: { amountCents: balanceCents, asOf: clock.now().toISOString() }, recentActivity: activity.items };
}
