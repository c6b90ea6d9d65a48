import { DataTable, type Column } from '../components/DataTable.tsx';
import { Card, Empty, StatusBadge } from '../components/ui.tsx';
import { addressLine, humanize } from '../format.ts';
import { Link } from '../router.tsx';
import type { AccountService } from '../types.ts';

const columns: Column<AccountService>[] = [
  { header: 'Service', cell: ({ servicePoint }) => <span className={`service-tag service-${servicePoint.service}`}>{humanize(servicePoint.service)}</span> },
  {
    header: 'Premise',
    cell: ({ premise }) => (
      <>
        <Link to={`/premises/${premise.id}`}>{addressLine(premise.address)}</Link>
        <div className="muted small">{humanize(premise.premiseType)} · {premise.area}</div>
      </>
    ),
  },
  { header: 'Point', cell: ({ servicePoint }) => <StatusBadge status={servicePoint.status} /> },
  { header: 'Route', cell: ({ servicePoint }) => servicePoint.route ?? '—' },
  { header: 'Rate', cell: ({ agreement }) => <span className="mono">{agreement.rateCode}</span> },
  { header: 'Start', className: 'nowrap', cell: ({ agreement }) => agreement.startDate },
  { header: 'End', className: 'nowrap', cell: ({ agreement }) => agreement.endDate ?? 'open' },
  {
    header: 'Meter',
    cell: ({ meter, servicePoint }) =>
      meter ? (
        <>
          <Link to={`/meters/${meter.id}`} className="mono">{meter.serial}</Link>
          <div className="muted small">{humanize(meter.kind)}{meter.size ? ` · ${meter.size}` : ''}{meter.installedOn ? ` · set ${meter.installedOn}` : ''}</div>
        </>
      ) : servicePoint.service === 'fiber' ? (
        <span className="muted">not metered</span>
      ) : (
        <span className="muted">no meter</span>
      ),
  },
  { header: 'Mult.', className: 'num', cell: ({ meter }) => meter?.multiplier ?? '—' },
  { header: 'Dials', className: 'num', cell: ({ meter }) => meter?.dials ?? '—' },
];

/** The account's service agreements: what service, where, under which rate, through which meter. */
export function ServicesTable({ services }: { services: AccountService[] }) {
  return (
    <Card title="Services" testId="services">
      {services.length === 0 ? <Empty>No service agreements on this account.</Empty> : <DataTable columns={columns} rows={services} rowKey={(s) => s.agreement.id} testId="services-table" />}
    </Card>
  );
}
