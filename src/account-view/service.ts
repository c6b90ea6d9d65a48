import { auditTrail, type AuditEvent } from '../audit/index.ts';
import { customers, type Account, type Alert, type CustomerDetail } from '../customer/index.ts';
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
  /** Null until the ledger exists: no charges or payments can have posted. */
  balance: { amountCents: number; asOf: string } | null;
  recentActivity: AuditEvent[];
}

export async function accountOverview(db: Db, clock: Clock, accountId: number): Promise<AccountOverview> {
  const account = await customers.getAccount(db, accountId);
  const [customer, services, alerts, activity] = await Promise.all([
    customers.getCustomer(db, account.customerId),
    premises.servicesOfAccount(db, accountId),
    customers.listAlerts(db, clock, accountId),
    auditTrail(db, { accountId, limit: 10 }),
  ]);
  return { account, customer, services, alerts, balance: null, recentActivity: activity.items };
}
