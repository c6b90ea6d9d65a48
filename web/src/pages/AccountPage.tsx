import { useState } from 'react';
import { api } from '../api.ts';
import { AccountHistory } from '../account/AccountHistory.tsx';
import { AccountLedger } from '../account/AccountLedger.tsx';
import { ActiveAlertsStrip, AlertsCard } from '../account/AlertsCard.tsx';
import { BalanceCard } from '../account/BalanceCard.tsx';
import { BillsCard } from '../account/BillsCard.tsx';
import { BudgetCard } from '../account/BudgetCard.tsx';
import { AssistanceCard } from '../account/AssistanceCard.tsx';
import { ProtectionsCard } from '../protection/ProtectionsCard.tsx';
import { CollectionsCard } from '../account/CollectionsCard.tsx';
import { DepositCard } from '../account/DepositCard.tsx';
import { RefundsCard } from '../account/RefundsCard.tsx';
import { BankruptcyCard } from '../bankruptcy/BankruptcyCard.tsx';
import { DeceasedCard } from '../deceased/DeceasedCard.tsx';
import { BadDebtCard } from '../bad-debt/BadDebtCard.tsx';
import { CustomerCard } from '../account/CustomerCard.tsx';
import { EditAccountDialog } from '../account/EditAccountDialog.tsx';
import { AccountOrdersCard } from '../account/AccountOrdersCard.tsx';
import { AutopayCard } from '../account/AutopayCard.tsx';
import { PaymentsCard } from '../account/PaymentsCard.tsx';
import { ServicesCard } from '../account/ServicesCard.tsx';
import { TaxExemptionsCard } from '../account/TaxExemptionsCard.tsx';
import { AuditTable } from '../components/AuditTable.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, StatusBadge } from '../components/ui.tsx';
import { addressLine, humanize } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { AccountOverview } from '../types.ts';

/**
 * The account page ("360 view"): who, where, what service, what is owed, what to watch out for,
 * what work is ordered, what was billed (and which taxes it is exempt from), and what happened; the ledger and the audit history are tabs.
 * what was paid (and autopay). Later features (collections) add cards here.
 */
export function AccountPage({ id, tab }: { id: number; tab: 'overview' | 'ledger' | 'history' }) {
  const overview = useApi(`account:${id}`, (signal) => api.get<AccountOverview>(`/accounts/${id}/overview`, undefined, signal));
  const canEdit = useCan('csr1');
  const [editing, setEditing] = useState(false);
  // Bumped when a payment on the page moved money, so the balance is loaded again.
  const [money, setMoney] = useState(0);
  const data = overview.data;
  useTitle(data ? `${data.account.accountNumber} ${data.customer.displayName}` : undefined);

  if (overview.error) return <LoadError error={overview.error} retry={overview.reload} />;
  if (!data) return <Loading what="Loading the account" />;
  const { account, customer } = data;
  const services = [...new Set(data.services.map((s) => s.servicePoint.service))];

  return (
    <div className="account-page" data-testid="account-page">
      <PageHeader
        title={
          <>
            {customer.displayName} <span className="account-number" data-testid="account-number">{account.accountNumber}</span>
          </>
        }
        subtitle={
          <ul className="inline-facts" aria-label="Account summary">
            <li><StatusBadge status={account.status} /></li>
            <li>{humanize(account.customerClass)}</li>
            <li>Cycle {account.billingCycle}</li>
            <li>Opened {account.openedOn}{account.closedOn ? `, closed ${account.closedOn}` : ''}</li>
            <li title="Billing address">Bills to {addressLine(account.billingAddress)}</li>
          </ul>
        }
        actions={
          canEdit && (
            <button type="button" onClick={() => setEditing(true)} data-testid="edit-account">
              Edit account
            </button>
          )
        }
      />
      <ActiveAlertsStrip alerts={data.alerts} />
      <nav className="tabs" aria-label="Account sections">
        <Link to={`/accounts/${id}`} aria-current={tab === 'overview' ? 'page' : undefined} data-testid="tab-overview">
          Overview
        </Link>
        <Link to={`/accounts/${id}/ledger`} aria-current={tab === 'ledger' ? 'page' : undefined} data-testid="tab-ledger">
          Ledger
        </Link>
        <Link to={`/accounts/${id}/history`} aria-current={tab === 'history' ? 'page' : undefined} data-testid="tab-history">
          Audit history
        </Link>
      </nav>

      {tab === 'overview' ? (
        <>
          <div className="card-row">
            <BalanceCard accountId={id} services={services} version={money} onChange={overview.reload} />
            <AlertsCard accountId={id} alerts={data.alerts} onChange={overview.reload} />
            <CustomerCard customer={customer} currentAccountId={id} onChange={overview.reload} />
          </div>
          <BillsCard accountId={id} />
          <PaymentsCard accountId={id} onChange={() => { setMoney((m) => m + 1); overview.reload(); }} />
          <AutopayCard accountId={id} customerName={customer.displayName} onChange={overview.reload} />
          <BudgetCard accountId={id} onChange={() => { setMoney((m) => m + 1); overview.reload(); }} />
          <AssistanceCard accountId={id} onChange={overview.reload} />
          <ProtectionsCard accountId={id} accountNumber={account.accountNumber} version={money} onChange={overview.reload} />
          <CollectionsCard accountId={id} services={data.services} version={money} onChange={() => { setMoney((m) => m + 1); overview.reload(); }} />
          <DepositCard accountId={id} version={money} onChange={() => { setMoney((m) => m + 1); overview.reload(); }} />
          <RefundsCard accountId={id} version={money} onChange={() => { setMoney((m) => m + 1); overview.reload(); }} />
          <BankruptcyCard accountId={id} customerId={customer.id} onChange={() => { setMoney((m) => m + 1); overview.reload(); }} />
          <DeceasedCard accountId={id} customerId={customer.id} customerName={customer.displayName} onChange={overview.reload} />
          <BadDebtCard accountId={id} version={money} onChange={() => { setMoney((m) => m + 1); overview.reload(); }} />
          <TaxExemptionsCard accountId={id} onChange={overview.reload} />
          <ServicesCard accountId={id} services={data.services} onChange={overview.reload} />
          <AccountOrdersCard accountId={id} services={data.services} onChange={overview.reload} />
          <Card
            title="Recent activity"
            testId="recent-activity"
            actions={<Link to={`/accounts/${id}/history`}>Full audit history →</Link>}
          >
            {data.recentActivity.length === 0 ? <Empty>Nothing recorded yet.</Empty> : <AuditTable events={data.recentActivity} />}
          </Card>
        </>
      ) : tab === 'ledger' ? (
        <AccountLedger accountId={id} services={services} />
      ) : (
        <AccountHistory accountId={id} />
      )}

      <EditAccountDialog account={account} open={editing} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); overview.reload(); }} />
    </div>
  );
}
