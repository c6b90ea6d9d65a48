import { useState, type ReactNode } from 'react';
import { api, apiUrl } from '../api.ts';
import { BillingBadge, ServiceTag } from '../billing/badges.tsx';
import { BillActionDialog, billActions, type BillAction } from '../billing/BillActions.tsx';
import { BillLines } from '../billing/BillLines.tsx';
import { formatQuantity } from '../billing/money.ts';
import { checkExceptionColumns, FindingList } from '../components/checkExceptions.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { daysBetween } from '../dates.ts';
import { formatCents, humanize } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { Link, navigate } from '../router.tsx';
import { roleAllows, useUser } from '../session.tsx';
import type { Account, Bill } from '../types.ts';

const exceptionColumns = checkExceptionColumns<Bill['exceptions'][number]>(BillingBadge);

/** What may be done with a bill in its state. */
const actionsFor = (b: Bill): BillAction[] => (b.status === 'held' ? ['approve', 'recalculate', 'keep-holding', 'cancel'] : b.status === 'posted' ? ['rebill', 'cancel'] : []);

/** One bill: what it is for, its lines with their derivations, why it was held, and what to do with it. */
export function BillPage({ id }: { id: number }) {
  const bill = useApi(`bill:${id}`, (signal) => api.get<Bill>(`/bills/${id}`, undefined, signal));
  const b = bill.data;
  const account = useApi(`bill-account:${b?.accountId ?? ''}`, (signal) => (b ? api.get<Account>(`/accounts/${b.accountId}`, undefined, signal) : Promise.resolve(null)));
  const user = useUser();
  const [action, setAction] = useState<BillAction | null>(null);
  const [done, setDone] = useState<string | null>(null);
  useTitle(b ? `Bill ${b.id}` : undefined);
  if (bill.error) return <LoadError error={bill.error} retry={bill.reload} />;
  if (!b) return <Loading what="Loading the bill" />;

  const accountNumber = account.data?.accountNumber;
  const actions = actionsFor(b).filter((a) => roleAllows(user.role, billActions[a].access));
  const facts: [string, ReactNode][] = [
    ['Account', <Link to={`/accounts/${b.accountId}`} className="mono" data-testid="bill-account">{accountNumber ?? `Account ${b.accountId}`}</Link>],
    ['Service', <><ServiceTag service={b.service} /> {humanize(b.customerClass)}</>],
    ['Rate', <Link to={`/tariffs/${encodeURIComponent(b.rateCode)}`} className="mono">{b.rateCode}</Link>],
    ['Period', <>{b.periodFrom} to {b.periodTo} <span className="muted">({daysBetween(b.periodFrom, b.periodTo) + 1} days)</span></>],
    ['Use', b.usage === null ? 'not metered' : <>{formatQuantity(b.usage)} {b.usageUnit}{b.estimated && <> <span className="badge badge-warn">Estimated</span></>}</>],
    ...(b.demandKw ? [['Billing demand', `${b.demandKw} kW`] as [string, ReactNode]] : []),
    ...(b.bankedKwh ? [['Banked credit', `${b.bankedKwh} kWh`] as [string, ReactNode]] : []),
    ['Bill date', b.billDate],
    ['Due date', b.dueDate],
    ['Tax', formatCents(b.taxCents)],
    ['Total', <strong data-testid="bill-facts-total">{formatCents(b.totalCents)}</strong>],
    ['Billing run', b.runId ? <Link to={`/billing/runs/${b.runId}`}>Run {b.runId}</Link> : 'billed on demand'],
    ...(b.rebillOf ? [['Rebill of', <Link to={`/bills/${b.rebillOf}`}>Bill {b.rebillOf}</Link>] as [string, ReactNode]] : []),
    ...(b.final ? [['Final bill', 'Yes: service ended'] as [string, ReactNode]] : []),
    ...(b.cancelReason ? [['Cancelled because', b.cancelReason] as [string, ReactNode]] : []),
  ];
  const open = b.exceptions.filter((e) => e.status === 'open');

  return (
    <div data-testid="bill-page">
      <PageHeader
        title={<>Bill {b.id} <span className="account-number">{accountNumber}</span></>}
        subtitle={
          <ul className="inline-facts" aria-label="Bill summary">
            <li data-testid="bill-status"><BillingBadge status={b.status} /></li>
            <li><ServiceTag service={b.service} /></li>
            <li>{b.periodFrom} to {b.periodTo}</li>
            <li>{formatCents(b.totalCents)}, due {b.dueDate}</li>
          </ul>
        }
        actions={
          <>
            <a href={apiUrl(`/bills/${b.id}/pdf`)} className="button" target="_blank" rel="noopener" data-testid="bill-pdf">
              Bill PDF <span aria-hidden="true">↗</span>
            </a>
            {actions.map((a) => (
              <button key={a} type="button" className={a === 'approve' ? 'button-primary' : undefined} onClick={() => { setDone(null); setAction(a); }} data-testid={`bill-${a}`}>
                {billActions[a].label}
              </button>
            ))}
          </>
        }
      />
      <SuccessBanner message={done} testId="bill-action-done" />
      {b.status === 'held' && open.length > 0 && (
        <section className="held-panel" aria-labelledby="bill-held-heading" data-testid="bill-held">
          <h2 id="bill-held-heading">Held: not posted to the ledger</h2>
          <FindingList findings={open} />
        </section>
      )}
      <Card title="Bill" testId="bill-facts">
        <Facts items={facts} />
      </Card>
      <Card title="Lines" testId="bill-lines-card">
        {b.lines.length === 0 ? <Empty>The bill could not be rated, so it has no lines.</Empty> : <BillLines lines={b.lines} totalCents={b.totalCents} periodFrom={b.periodFrom} periodTo={b.periodTo} testId="bill-lines" />}
      </Card>
      {b.exceptions.length > 0 && (
        <Card title="Exceptions" testId="bill-exceptions">
          <DataTable columns={exceptionColumns} rows={b.exceptions} testId="bill-exceptions-table" />
        </Card>
      )}
      <BillActionDialog
        billId={b.id}
        action={action}
        onClose={() => setAction(null)}
        onDone={(result, message) => {
          setAction(null);
          if (result.id !== b.id) {
            navigate(`/bills/${result.id}`);
            return;
          }
          setDone(message);
          bill.reload();
        }}
      />
    </div>
  );
}
