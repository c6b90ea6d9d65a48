import { useState } from 'react';
import { api } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader, StatusBadge } from '../components/ui.tsx';
import { addressLine, humanize } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { AddServicePointDialog } from '../premise/AddServicePointDialog.tsx';
import { EndServiceDialog } from '../premise/EndServiceDialog.tsx';
import { InstallMeterDialog } from '../premise/InstallMeterDialog.tsx';
import { StartServiceDialog } from '../premise/StartServiceDialog.tsx';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { Agreement, PremiseDetail, ServicePoint } from '../types.ts';

type Point = PremiseDetail['servicePoints'][number];

/** What a service point row can ask for; `null` where the role may not change service. */
interface PointActions {
  startService(point: ServicePoint): void;
  endService(agreement: Agreement): void;
  installMeter(point: ServicePoint): void;
}

const pointName = (sp: ServicePoint) => `${sp.service} point ${sp.id}`;

function pointColumns(actions: PointActions | null): Column<Point>[] {
  return [
    { header: 'Service', cell: (sp) => <span className={`service-tag service-${sp.service}`}>{humanize(sp.service)}</span> },
    { header: 'Status', cell: (sp) => <StatusBadge status={sp.status} /> },
    { header: 'Route', cell: (sp) => sp.route ?? '—' },
    { header: 'Location', cell: (sp) => sp.locationNote ?? '—' },
    {
      header: 'Meter',
      cell: (sp) =>
        sp.meter ? (
          <>
            <Link to={`/meters/${sp.meter.id}`} className="mono">{sp.meter.serial}</Link>
            <div className="muted small">× {sp.meter.multiplier} · {sp.meter.dials} dials</div>
          </>
        ) : sp.service === 'fiber' ? (
          <span className="muted">not metered</span>
        ) : actions ? (
          <button type="button" className="button-small" onClick={() => actions.installMeter(sp)} aria-label={`Install meter at ${pointName(sp)}`} data-testid="install-meter">
            Install meter
          </button>
        ) : (
          <span className="muted">no meter</span>
        ),
    },
    {
      header: 'Agreements (account, rate, dates)',
      cell: (sp) => {
        const open = sp.agreements.some((a) => a.endDate === null);
        return (
          <div className="cell-stack">
            {sp.agreements.length === 0 ? (
              <span className="muted">none</span>
            ) : (
              <ul className="plain-list agreement-list">
                {sp.agreements.map((a) => (
                  <li key={a.id}>
                    <Link to={`/accounts/${a.accountId}`}>Account <span className="mono">{a.accountNumber}</span></Link> · <span className="mono">{a.rateCode}</span> · {a.startDate} to {a.endDate ?? 'open'}
                    {actions && a.endDate === null && (
                      <button type="button" className="button-small" onClick={() => actions.endService(a)} aria-label={`End service for account ${a.accountNumber} at ${pointName(sp)}`} data-testid="end-service">
                        End service
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {actions && !open && (
              <button type="button" className="button-small" onClick={() => actions.startService(sp)} aria-label={`Start service at ${pointName(sp)}`} data-testid="start-service">
                Start service
              </button>
            )}
          </div>
        );
      },
    },
  ];
}

/** A service address: its service points, the meter on each, and who has had service there. */
export function PremisePage({ id }: { id: number }) {
  const premise = useApi(`premise:${id}`, (signal) => api.get<PremiseDetail>(`/premises/${id}`, undefined, signal));
  const canChange = useCan('csr2');
  const canOrder = useCan('csr1');
  const [addingPoint, setAddingPoint] = useState(false);
  const [starting, setStarting] = useState<ServicePoint | null>(null);
  const [ending, setEnding] = useState<Agreement | null>(null);
  const [installing, setInstalling] = useState<ServicePoint | null>(null);
  const p = premise.data;
  useTitle(p ? addressLine(p.address) : undefined);
  if (premise.error) return <LoadError error={premise.error} retry={premise.reload} />;
  if (!p) return <Loading what="Loading the premise" />;

  const saved = (close: () => void) => () => {
    close();
    premise.reload();
  };
  const columns = pointColumns(canChange ? { startService: setStarting, endService: setEnding, installMeter: setInstalling } : null);

  return (
    <div data-testid="premise-page">
      <PageHeader
        title={addressLine(p.address)}
        subtitle={`Premise ${p.id}`}
        actions={
          <>
            {canOrder && p.servicePoints.length > 0 && <Link to={`/service-orders/new?premiseId=${p.id}`} className="button" data-testid="premise-new-order">New order</Link>}
            {canChange && <button type="button" className="button-primary" onClick={() => setAddingPoint(true)} data-testid="add-service-point">Add service point</button>}
          </>
        }
      />
      <Card title="Details">
        <Facts
          items={[
            ['Type', humanize(p.premiseType)],
            ['Area', p.area],
            ['Space heating', p.spaceHeating ? 'Yes' : 'No'],
            ['Owner', p.ownerCustomerId ? <Link to={`/customers/${p.ownerCustomerId}`}>Customer {p.ownerCustomerId}</Link> : null],
          ]}
        />
      </Card>
      <Card title="Service points">
        {p.servicePoints.length === 0 ? (
          <Empty>No service points at this premise{canChange ? '. Use “Add service point” to add one.' : '.'}</Empty>
        ) : (
          <DataTable columns={columns} rows={p.servicePoints} testId="service-points-table" />
        )}
      </Card>
      <AddServicePointDialog premiseId={p.id} open={addingPoint} onClose={() => setAddingPoint(false)} onSaved={saved(() => setAddingPoint(false))} />
      <StartServiceDialog point={starting} onClose={() => setStarting(null)} onSaved={saved(() => setStarting(null))} />
      <EndServiceDialog agreement={ending} onClose={() => setEnding(null)} onSaved={saved(() => setEnding(null))} />
      <InstallMeterDialog point={installing} onClose={() => setInstalling(null)} onSaved={saved(() => setInstalling(null))} />
    </div>
  );
}
