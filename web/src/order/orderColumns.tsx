import type { Column } from '../components/DataTable.tsx';
import { StatusBadge } from '../components/ui.tsx';
import { humanize } from '../format.ts';
import { Link } from '../router.tsx';
import type { ServiceOrderListItem } from '../types.ts';
import { orderTypeLabel } from './labels.ts';

/** The open findings that hold an order, said in a few words under its status. */
export function HeldCount({ count }: { count: number }) {
  if (count === 0) return null;
  return <div className="held-count small">{count === 1 ? '1 open finding' : `${count} open findings`}</div>;
}

/** The columns of a list of service orders (the queue, an account's orders). */
export function orderColumns({ account = true }: { account?: boolean } = {}): Column<ServiceOrderListItem>[] {
  const columns: (Column<ServiceOrderListItem> | false)[] = [
    {
      header: 'Order',
      className: 'nowrap',
      cell: (o) => (
        <>
          <Link to={`/service-orders/${o.id}`} className="mono">{o.number}</Link>
          {o.priority === 'urgent' && <> <StatusBadge status="urgent" /></>}
        </>
      ),
    },
    {
      header: 'Type',
      cell: (o) => (
        <>
          {orderTypeLabel(o.type)}
          {o.groupKind && <div className="muted small">{humanize(o.groupKind)} group {o.groupId}</div>}
        </>
      ),
    },
    {
      header: 'Status',
      cell: (o) => (
        <>
          <StatusBadge status={o.status} />
          <HeldCount count={o.openExceptions} />
        </>
      ),
    },
    {
      header: 'Where',
      cell: (o) => (
        <>
          <span className={`service-tag service-${o.service}`}>{humanize(o.service)}</span> <Link to={`/premises/${o.premiseId}`}>{o.address}</Link>
          <div className="muted small">
            Point {o.servicePointId}{o.route ? ` · route ${o.route}` : ''}{o.meterSerial ? ` · meter ${o.meterSerial}` : ''}
          </div>
        </>
      ),
    },
    account && {
      header: 'Account',
      cell: (o) =>
        o.accountId ? (
          <>
            <Link to={`/accounts/${o.accountId}`} className="mono">{o.accountNumber}</Link>
            <div className="muted small">{o.customerName}</div>
          </>
        ) : (
          <span className="muted">none</span>
        ),
    },
    { header: 'Effective', className: 'nowrap', cell: (o) => o.effectiveDate },
    {
      header: 'Scheduled',
      className: 'nowrap',
      cell: (o) => (o.scheduledFor ? (
        <>
          {o.scheduledFor}
          {o.crew && <div className="muted small">Crew {o.crew}</div>}
        </>
      ) : <span className="muted">not yet</span>),
    },
  ];
  return columns.filter((c): c is Column<ServiceOrderListItem> => c !== false);
}
