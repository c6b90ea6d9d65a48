import { useState, type ReactNode } from 'react';
import { api } from '../api.ts';
import { checkExceptionColumns, FindingList } from '../components/checkExceptions.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader, StatusBadge } from '../components/ui.tsx';
import { formatTimestamp, humanize, humanizeKey } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { CompleteOrderDialog } from '../order/CompleteOrderDialog.tsx';
import { isOpenOrder, orderTypeLabel } from '../order/labels.ts';
import { CancelOrderDialog, OverrideOrderDialog, ScheduleOrderDialog } from '../order/OrderDialogs.tsx';
import { readColumns } from '../read/readColumns.tsx';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { CompletionResult, FieldData, Meter, OrderDetail, OrderException } from '../types.ts';

const exceptionColumns = checkExceptionColumns<OrderException>(StatusBadge);

const yesNo = (b: boolean | undefined) => (b === undefined ? null : b ? 'Yes' : 'No');

function fieldFacts(f: FieldData): [string, ReactNode][] {
  const read = (r: FieldData['read']) => (r ? `${r.reading}${r.rollover ? ' (rollover)' : ''}${r.readType === 'customer' ? ' · by the customer' : ''}` : null);
  const found = (m: FieldData['oldMeter']) => (m ? [m.multiplier ? `× ${m.multiplier}` : null, m.dials ? `${m.dials} dials` : null].filter(Boolean).join(' · ') : null);
  const items: [string, ReactNode][] = [
    ['Read', read(f.read)],
    ['New meter read', read(f.newMeterRead)],
    ['Old meter as found', found(f.oldMeter)],
    ['New meter as found', found(f.newMeter)],
    ['Seal number', f.sealNumber],
    ['Seal removed', f.sealRemoved],
    ['Test', f.test ? `${f.test.accuracyPercent}% · ${f.test.passed ? 'passed' : 'failed'}` : null],
    ['Tampering found', yesNo(f.tamperFound)],
    ['Findings', f.findings],
    ['Notes', f.notes],
  ];
  return items.filter(([, value]) => value !== null && value !== undefined && value !== '');
}

/** Result keys the page shows elsewhere (the reads table, the field data). */
const hiddenResultKeys = new Set(['readIds', 'sealNumber', 'oldMeterId', 'newMeterId']);

function show(value: unknown): ReactNode {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === 'string' ? humanize(v) : String(v))).join(', ') : 'none';
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${humanizeKey(k)}: ${String(v)}`).join(' · ');
  return typeof value === 'string' && /^[a-z_]+$/.test(value) ? humanize(value) : String(value);
}

/** What a completion did, said once on the page after it. */
function CompletionNotice({ result }: { result: CompletionResult }) {
  const readFindings = result.reads.flatMap((r) => r.exceptions.map((e) => ({ ...e, reading: r.reading })));
  // A hold is said by the held panel.
  if (result.held) return null;
  return (
    <div className="success-banner" role="status" data-testid="completion-notice">
      {result.alreadyCompleted ? 'The order was already completed with this field data; nothing changed.' : `The order is completed${result.findings.length ? ` (checks overridden: ${result.findings.map((f) => humanize(f.code).toLowerCase()).join(', ')})` : ''}.`}
      {readFindings.length > 0 && (
        <>
          {' '}Read {readFindings.map((e) => `${e.reading}: ${e.message}`).join('; ')} — held in <Link to="/read-exceptions">read exceptions</Link>.
        </>
      )}
    </div>
  );
}

/** One service order: what, where, its field data, the checks that hold it, the reads it took. */
export function OrderPage({ id }: { id: number }) {
  const detail = useApi(`order:${id}`, (signal) => api.get<OrderDetail>(`/service-orders/${id}`, undefined, signal));
  const canWork = useCan('csr1');
  const isSupervisor = useCan('supervisor');
  const [dialog, setDialog] = useState<'schedule' | 'complete' | 'cancel' | 'override' | null>(null);
  const [result, setResult] = useState<CompletionResult | null>(null);
  const o = detail.data;
  const newMeterId = o?.request.newMeterId;
  const newMeter = useApi(`order-new-meter:${newMeterId ?? ''}`, (signal) => (newMeterId ? api.get<Meter>(`/meters/${newMeterId}`, undefined, signal) : Promise.resolve(null)));
  const newSerial = newMeter.data?.serial;
  useTitle(o ? `${o.number} ${orderTypeLabel(o.type)}` : undefined);
  if (detail.error) return <LoadError error={detail.error} retry={detail.reload} />;
  if (!o) return <Loading what="Loading the order" />;

  const close = () => setDialog(null);
  const saved = () => {
    setDialog(null);
    setResult(null);
    detail.reload();
  };
  const completed = (r: CompletionResult) => {
    setDialog(null);
    setResult(r);
    detail.reload();
  };
  const openOrder = isOpenOrder(o.status);
  const held = o.status === 'held';
  const openExceptions = o.exceptions.filter((e) => e.status === 'open');
  const request = o.request;
  const meterName = (r: { meterId: number }) => (r.meterId === o.meterId && o.meterSerial ? o.meterSerial : r.meterId === request.newMeterId ? (newSerial ?? `New meter ${r.meterId}`) : `Meter ${r.meterId}`);

  return (
    <div data-testid="order-page">
      <PageHeader
        title={
          <>
            <span className="mono">{o.number}</span> {orderTypeLabel(o.type)}
          </>
        }
        subtitle={
          <ul className="inline-facts" aria-label="Order summary">
            <li data-testid="order-status"><StatusBadge status={o.status} /></li>
            {o.priority === 'urgent' && <li><StatusBadge status="urgent" /></li>}
            <li>
              <span className={`service-tag service-${o.service}`}>{humanize(o.service)}</span>&nbsp;<Link to={`/premises/${o.premiseId}`}>{o.address}</Link>
            </li>
            {o.accountId && (
              <li>
                Account&nbsp;<Link to={`/accounts/${o.accountId}`} className="mono">{o.accountNumber}</Link>&nbsp;{o.customerName}
              </li>
            )}
          </ul>
        }
        actions={
          canWork &&
          openOrder && (
            <>
              {held && isSupervisor && (
                <button type="button" className="button-primary" onClick={() => setDialog('override')} data-testid="override-order">
                  Override
                </button>
              )}
              <button type="button" className={held && isSupervisor ? undefined : 'button-primary'} onClick={() => setDialog('complete')} data-testid="complete-order">
                {held ? 'Correct and complete' : 'Complete'}
              </button>
              <button type="button" onClick={() => setDialog('schedule')} data-testid="schedule-order">
                {o.scheduledFor ? 'Reschedule' : 'Schedule'}
              </button>
              <button type="button" onClick={() => setDialog('cancel')} data-testid="cancel-order">
                Cancel order
              </button>
            </>
          )
        }
      />
      {result && <CompletionNotice result={result} />}
      {held && openExceptions.length > 0 && (
        // Announced when a completion has just been held; read as part of the page otherwise.
        <section className="held-panel" aria-labelledby="held-heading" role={result?.held ? 'alert' : undefined} data-testid="held-findings">
          <h2 id="held-heading">Held: {openExceptions.length === 1 ? 'a check stopped' : `${openExceptions.length} checks stopped`} this order</h2>
          <FindingList findings={openExceptions} />
          <p className="small">
            Nothing has changed yet. Correct the field data and complete it again{isSupervisor ? ', or override the checks with a reason' : '; a supervisor may override the checks with a reason'}.
          </p>
        </section>
      )}
      <div className="card-row card-row-2">
        <Card title="Order" testId="order-facts">
          <Facts
            items={[
              ['Status', <StatusBadge status={o.status} />],
              ['Effective date', o.effectiveDate],
              ['Scheduled for', o.scheduledFor ?? 'not scheduled'],
              ['Crew', o.crew],
              ['Priority', humanize(o.priority)],
              ['Service point', <>Point {o.servicePointId}{o.route ? ` · route ${o.route}` : ''}</>],
              ['Meter', o.meterId ? <Link to={`/meters/${o.meterId}`} className="mono">{o.meterSerial ?? o.meterId}</Link> : null],
              ...(request.rateCode ? [['Rate code', <span className="mono">{request.rateCode}</span>] as [string, ReactNode]] : []),
              ...(request.newMeterId ? [['New meter', <Link to={`/meters/${request.newMeterId}`} className="mono">{newSerial ?? `Meter ${request.newMeterId}`}</Link>] as [string, ReactNode]] : []),
              ...(request.oldMeterTo ? [['Old meter goes to', humanize(request.oldMeterTo)] as [string, ReactNode]] : []),
              ...(request.vacate ? [['Vacate', 'Yes: no reversion to the owner'] as [string, ReactNode]] : []),
              ...(o.groupId ? [['Group', `${humanize(o.groupKind ?? 'group')} ${o.groupId}`] as [string, ReactNode]] : []),
              ['Created', `${formatTimestamp(o.createdAt)} (${o.source})`],
              ...(o.completedAt ? [['Completed', formatTimestamp(o.completedAt)] as [string, ReactNode]] : []),
              ...(o.cancelledAt ? [['Cancelled', `${formatTimestamp(o.cancelledAt)}: ${o.cancelReason}`] as [string, ReactNode]] : []),
            ]}
          />
          <dl className="facts facts-wide">
            <div>
              <dt>Reason</dt>
              <dd>{o.reason}</dd>
            </div>
            {o.instructions && (
              <div>
                <dt>Instructions</dt>
                <dd>{o.instructions}</dd>
              </div>
            )}
          </dl>
        </Card>
        <Card title={o.status === 'completed' ? 'Field data and result' : 'Field data'} testId="order-field-data">
          {o.fieldData ? <Facts items={fieldFacts(o.fieldData)} /> : <Empty>Nothing reported from the field yet.</Empty>}
          {o.result && (
            <>
              <h3 className="subheading">Result</h3>
              <Facts items={Object.entries(o.result).filter(([k]) => !hiddenResultKeys.has(k)).map(([k, v]) => [humanizeKey(k), show(v)] as [string, ReactNode])} />
            </>
          )}
        </Card>
      </div>
      <Card title="Exceptions" testId="order-exceptions">
        {o.exceptions.length === 0 ? <Empty>No check has held this order.</Empty> : <DataTable columns={exceptionColumns} rows={o.exceptions} testId="order-exceptions-table" />}
      </Card>
      <Card title="Reads taken" testId="order-reads">
        {o.reads.length === 0 ? <Empty>No read was recorded by this order.</Empty> : <DataTable columns={readColumns(meterName)} rows={o.reads} testId="order-reads-table" />}
      </Card>
      <ScheduleOrderDialog order={o} open={dialog === 'schedule'} onClose={close} onSaved={saved} />
      <CancelOrderDialog order={o} open={dialog === 'cancel'} onClose={close} onSaved={saved} />
      <OverrideOrderDialog order={o} open={dialog === 'override'} onClose={close} onSaved={completed} />
      <CompleteOrderDialog order={o} open={dialog === 'complete'} onClose={close} onDone={completed} />
    </div>
  );
}
