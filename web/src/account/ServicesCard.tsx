import { useState } from 'react';
import { Card, Empty, StatusBadge } from '../components/ui.tsx';
import { monthsBefore } from '../dates.ts';
import { addressLine, humanize, utilityToday } from '../format.ts';
import { orderTypeLabels } from '../order/labels.ts';
import { EnterReadDialog, type ReadMeter } from '../read/EnterReadDialog.tsx';
import { ReadChart } from '../read/ReadChart.tsx';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { AccountService, OrderType } from '../types.ts';

/** How many months of reads the chart of a service shows. */
const chartMonths = 24;

const pointName = (s: AccountService) => `${s.servicePoint.service} point ${s.servicePoint.id}`;

/** The agreement goes on after today (one ending today has been stopped: its move-out is done). */
const isOpen = (s: AccountService, today: string) => s.agreement.endDate === null || s.agreement.endDate > today;

/** The orders staff may start on a service, as links to the new-order form. */
function orderTypesFor(s: AccountService): OrderType[] {
  const metered = s.servicePoint.service !== 'fiber';
  const meter = metered && s.meter !== null;
  const types: OrderType[] = ['move_out'];
  if (meter) types.push('meter_exchange', 'check_read', 'meter_test');
  if (s.servicePoint.status === 'disconnected') types.push('reconnect');
  else types.push('disconnect');
  if (metered) types.push('tamper_investigation');
  return types;
}

function ServiceItem({ accountId, service: s, today, canOrder, onEnterRead, readsVersion }: { accountId: number; service: AccountService; today: string; canOrder: boolean; onEnterRead(meter: ReadMeter): void; readsVersion: number }) {
  const { agreement, servicePoint: sp, premise, meter } = s;
  const open = isOpen(s, today);
  const chartFrom = [agreement.startDate, monthsBefore(today, chartMonths)].sort()[1]!;
  const newOrder = (type: OrderType) => `/service-orders/new?type=${type}&accountId=${accountId}&servicePointId=${sp.id}`;

  return (
    <li className="service-item" data-testid="service" data-service-point={sp.id}>
      <div className="service-head">
        <span className={`service-tag service-${sp.service}`}>{humanize(sp.service)}</span>
        <Link to={`/premises/${premise.id}`}>{addressLine(premise.address)}</Link>
        <span className="muted small">{humanize(premise.premiseType)} · {premise.area}</span>
        <span className="service-head-point">
          Point {sp.id} <StatusBadge status={sp.status} /> {sp.route ? <span className="muted">· Route {sp.route}</span> : null}
        </span>
      </div>
      <div className="service-body">
        <dl className="service-facts">
          <div>
            <dt>Rate</dt>
            <dd className="mono">{agreement.rateCode}</dd>
          </div>
          <div>
            <dt>Service</dt>
            <dd>
              <span className="nowrap">{agreement.startDate}</span> to <span className="nowrap">{agreement.endDate ?? 'open'}</span>
              {agreement.endReason && <div className="muted small">Ended: {humanize(agreement.endReason)}</div>}
            </dd>
          </div>
          {agreement.finalBillDue && (
            <div>
              <dt>Final bill</dt>
              <dd><span className="badge badge-warn" data-testid="final-bill-due">Final bill due</span></dd>
            </div>
          )}
          <div>
            <dt>Meter</dt>
            <dd>
              {meter ? (
                <>
                  <Link to={`/meters/${meter.id}`} className="mono">{meter.serial}</Link>
                  <div className="muted small">{humanize(meter.kind)}{meter.size ? ` · ${meter.size}` : ''}{meter.installedOn ? ` · set ${meter.installedOn}` : ''}</div>
                </>
              ) : sp.service === 'fiber' ? (
                <span className="muted">not metered</span>
              ) : (
                <span className="muted">no meter</span>
              )}
            </dd>
          </div>
          {meter && (
            <div className="service-facts-row">
              <div>
                <dt>Multiplier</dt>
                <dd>{meter.multiplier}</dd>
              </div>
              <div>
                <dt>Dials</dt>
                <dd>{meter.dials}</dd>
              </div>
              <div>
                <dt>Unit</dt>
                <dd>{meter.unit}</dd>
              </div>
            </div>
          )}
        </dl>
        <div className="service-chart">
          {meter ? (
            <ReadChart key={readsVersion} servicePointId={sp.id} unit={meter.unit} from={chartFrom} to={agreement.endDate} name={pointName(s)} />
          ) : (
            <div className="read-chart read-chart-empty muted">{sp.service === 'fiber' ? 'Fiber service has no meter reads.' : 'No meter: no reads to chart.'}</div>
          )}
        </div>
      </div>
      {open && canOrder && (
        <div className="service-actions" role="group" aria-label={`Orders for ${pointName(s)}`}>
          <span className="muted small">Start an order:</span>
          {orderTypesFor(s).map((type) => (
            <Link key={type} to={newOrder(type)} className="button button-small" aria-label={`${orderTypeLabels[type]} at ${pointName(s)}`} data-testid={`order-${type}`}>
              {orderTypeLabels[type]}
            </Link>
          ))}
          {meter && (
            <button type="button" className="button-small" onClick={() => onEnterRead({ id: meter.id, serial: meter.serial, dials: meter.dials, unit: meter.unit })} aria-label={`Enter a read of meter ${meter.serial}`} data-testid="enter-read">
              Enter read
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/**
 * The account's services: for each agreement where and under which rate, the meter (serial,
 * multiplier, dials, unit), the agreement's dates and whether a final bill is due, a chart of the
 * use per read period, and buttons that start orders or enter a read.
 */
export function ServicesCard({ accountId, services, onChange }: { accountId: number; services: AccountService[]; onChange(): void }) {
  const canOrder = useCan('csr1');
  const [reading, setReading] = useState<ReadMeter | null>(null);
  // A read entered here draws the charts again.
  const [readsVersion, setReadsVersion] = useState(0);
  const today = utilityToday();
  // Services in force first, then ended ones, each by start date.
  const shown = [...services].sort((a, b) => Number(isOpen(b, today)) - Number(isOpen(a, today)) || a.agreement.startDate.localeCompare(b.agreement.startDate));
  return (
    <Card title="Services" testId="services">
      {services.length === 0 ? (
        <Empty>No service agreements on this account.</Empty>
      ) : (
        <ul className="plain-list service-list" data-testid="services-list">
          {shown.map((s) => (
            <ServiceItem key={s.agreement.id} accountId={accountId} service={s} today={today} canOrder={canOrder} onEnterRead={setReading} readsVersion={readsVersion} />
          ))}
        </ul>
      )}
      <EnterReadDialog
        meter={reading}
        onClose={() => setReading(null)}
        onSaved={() => {
          setReading(null);
          setReadsVersion((v) => v + 1);
          onChange();
        }}
      />
    </Card>
  );
}
