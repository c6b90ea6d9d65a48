import { useState } from 'react';
import { api } from '../api.ts';
import { ActionBadge, dash, deliveryLabel, HoldList, NoticeLink, noticeLabel, OrderLinks } from '../collections/labels.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { CheckboxField, ReasonField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, Facts, LoadError, Loading, SuccessBanner } from '../components/ui.tsx';
import { formatCents, humanize } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { AccountCollections, AccountService, CollectionAction, CollectionNotice, CollectionsDisconnectResult, CollectionsReconnectResult } from '../types.ts';

/** How many of the account's actions the card shows before "show all". */
const shownActions = 10;

const actionColumns: Column<CollectionAction>[] = [
  { header: 'Date', className: 'nowrap', cell: (a) => <Link to={`/collections/runs?date=${a.runDate}`}>{a.runDate}</Link> },
  { header: 'What', className: 'nowrap', cell: (a) => <ActionBadge action={a.action} /> },
  {
    header: 'Detail',
    cell: (a) => (
      <>
        {/* A step passed over: its detail repeats the protections' own, listed instead. */}
        {a.action === 'skipped' && a.protections && a.protections.length > 0 ? null : <span data-testid="collections-action-detail">{a.detail}</span>}
        {a.protections && a.protections.length > 0 && <HoldList holds={a.protections} testId="collections-action-protections" />}
      </>
    ),
  },
  { header: 'Past due', className: 'num nowrap', cell: (a) => formatCents(a.pastDueCents) },
  { header: 'Fee', className: 'num nowrap', cell: (a) => (a.feeCents ? formatCents(a.feeCents) : dash) },
  { header: 'Notice', className: 'nowrap', cell: (a) => (a.noticeId ? <NoticeLink id={a.noticeId} kind={a.action.replace(/_notice$/, '')} /> : dash) },
  { header: 'Orders', cell: (a) => <OrderLinks ids={a.orderIds} /> },
];

const noticeColumns: Column<CollectionNotice>[] = [
  { header: 'Date', className: 'nowrap', cell: (n) => n.runDate },
  { header: 'Notice', className: 'nowrap', cell: (n) => <span data-testid="collections-notice-kind">{noticeLabel(n.kind)}</span> },
  { header: 'How', className: 'nowrap', cell: (n) => deliveryLabel(n.delivery) },
  { header: 'Amount', className: 'num nowrap', cell: (n) => formatCents(n.amountCents) },
  { header: 'Disconnection from', className: 'nowrap', cell: (n) => n.disconnectFrom ?? dash },
  { header: 'PDF', className: 'nowrap', cell: (n) => <NoticeLink id={n.id} kind={n.kind} testId="collections-notice-pdf" /> },
];

/** The open case: where it stands on the path, its next step and the disconnection dates. */
function OpenCase({ c }: { c: AccountCollections }) {
  const open = c.openCase!;
  return (
    <div data-testid="collections-open-case" data-case-id={open.id}>
      <h3 className="subheading">Open case {open.id}</h3>
      <Facts
        items={[
          ['Opened', open.openedOn],
          ['Past due since', <span data-testid="collections-case-due">{open.dueDate}</span>],
          ['Last step', open.step ? <span data-testid="collections-last-step">{humanize(open.step)} on {open.stepOn}</span> : <span className="muted" data-testid="collections-last-step">None yet</span>],
          [
            'Next step',
            c.nextStep ? (
              <span data-testid="collections-next-step">
                {c.nextStep.label} on {c.nextStep.on} {c.nextStep.on <= c.today && <span className="badge badge-warn">Due</span>}
              </span>
            ) : (
              <span className="muted" data-testid="collections-next-step">No step left</span>
            ),
          ],
          ['Disconnection from', <span data-testid="collections-disconnect-from">{open.disconnectFrom ?? '—'}</span>],
          ['Disconnected on', <span data-testid="collections-disconnected-on">{open.disconnectedOn ?? '—'}</span>],
        ]}
      />
    </div>
  );
}

/**
 * The account's collections panel: the balance, what is past due and what of it may be collected
 * (less what a dispute or a bankruptcy stay holds back), the holds in force, the open case with its
 * last and next step, what the runs and staff did, and the notices (PDF). A CSR II orders a
 * disconnection outside the run (the server refuses without a served notice whose day has come, or
 * while a protection holds: its message is shown as it comes); staff reconnect disconnected
 * service, supervisors may waive the fee. `services` (the account page's) tells whether a service
 * point is disconnected; `onChange` runs after a change here (orders, fees).
 */
export function CollectionsCard({ accountId, services = [], version = 0, onChange }: { accountId: number; services?: AccountService[]; version?: number; onChange?(): void }) {
  const canDisconnect = useCan('csr2');
  const canReconnect = useCan('csr1');
  const panel = useApi(`account-collections:${accountId}:${version}`, (signal) => api.get<AccountCollections>(`/accounts/${accountId}/collections`, undefined, signal));
  const [dialog, setDialog] = useState<'disconnect' | 'reconnect' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [allActions, setAllActions] = useState(false);
  const c = panel.data;
  const disconnected = services.some((s) => s.servicePoint.status === 'disconnected') || Boolean(c?.openCase?.disconnectedOn);
  const changed = (text: string) => {
    setDialog(null);
    setDone(text);
    panel.reload();
    onChange?.();
  };
  const openDialog = (d: 'disconnect' | 'reconnect') => {
    setDone(null);
    setDialog(d);
  };

  return (
    <Card
      title="Collections"
      testId="collections-card"
      actions={
        c && (
          <>
            {canDisconnect && c.openCase && !c.openCase.disconnectedOn && (
              <button type="button" className="button-small" onClick={() => openDialog('disconnect')} data-testid="order-disconnect">
                Order disconnect
              </button>
            )}
            {canReconnect && disconnected && (
              <button type="button" className="button-small" onClick={() => openDialog('reconnect')} data-testid="reconnect">
                Reconnect
              </button>
            )}
          </>
        )
      }
    >
      <SuccessBanner message={done} testId="collections-done" className="small" />
      {panel.error ? (
        <LoadError error={panel.error} retry={panel.reload} />
      ) : !c ? (
        <Loading what="Loading the collections panel" />
      ) : (
        <>
          <Facts
            items={[
              ['Balance', <span data-testid="collections-balance">{formatCents(c.balanceCents)}</span>],
              ['Past due', <span data-testid="collections-past-due">{formatCents(c.pastDueCents)}</span>],
              ['Collectable', <strong data-testid="collections-collectable">{formatCents(c.collectableCents)}</strong>],
              ['Oldest unpaid due date', c.oldestDue ?? '—'],
            ]}
          />
          <h3 className="subheading">Holds in force today</h3>
          {c.holds.length === 0 ? <p className="muted small" data-testid="collections-no-holds">Nothing holds collection back.</p> : <HoldList holds={c.holds} testId="collections-card-holds" />}
          {c.openCase ? (
            <OpenCase c={c} />
          ) : (
            <p className="muted" data-testid="collections-no-case">
              No open collections case.{c.cases[0] ? ` The last (case ${c.cases[0].id}) closed ${c.cases[0].closedOn ?? ''}${c.cases[0].closedReason ? `: ${c.cases[0].closedReason}` : ''}.` : ''}
            </p>
          )}
          <h3 className="subheading">What was done</h3>
          {c.actions.length === 0 ? (
            <Empty>Nothing yet.</Empty>
          ) : (
            <>
              <DataTable columns={actionColumns} rows={allActions ? c.actions : c.actions.slice(0, shownActions)} testId="collections-actions" />
              {c.actions.length > shownActions && (
                <button type="button" className="button-link" onClick={() => setAllActions((x) => !x)}>
                  {allActions ? 'Show fewer' : `Show all ${c.actions.length}`}
                </button>
              )}
            </>
          )}
          <h3 className="subheading">Notices</h3>
          {c.notices.length === 0 ? <Empty>No notices sent.</Empty> : <DataTable columns={noticeColumns} rows={c.notices} testId="collections-notices" />}
        </>
      )}
      {canDisconnect && (
        <DisconnectDialog
          accountId={accountId}
          open={dialog === 'disconnect'}
          onClose={() => setDialog(null)}
          onSaved={(r) => changed(`Disconnect order${r.orderIds.length === 1 ? '' : 's'} ${r.orderIds.join(', ')} made for the field (case ${r.caseId}).`)}
        />
      )}
      {canReconnect && (
        <ReconnectDialog
          accountId={accountId}
          open={dialog === 'reconnect'}
          onClose={() => setDialog(null)}
          onSaved={(r) =>
            changed(
              r.orderIds.length === 0
                ? 'Nothing to reconnect.'
                : `Reconnect order${r.orderIds.length === 1 ? '' : 's'} ${r.orderIds.join(', ')} made${r.feeCents > 0 ? `, ${formatCents(r.feeCents)} in fees charged${r.afterHours ? ' (after hours)' : ''}` : ', no fee'}.`,
            )
          }
        />
      )}
    </Card>
  );
}

/** Order a disconnection for non-payment outside the run, with a reason; the server says why not when it refuses. */
function DisconnectDialog({ accountId, open, onClose, onSaved }: { accountId: number; open: boolean; onClose(): void; onSaved(r: CollectionsDisconnectResult): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<CollectionsDisconnectResult>(`/accounts/${accountId}/collections/disconnect`, { reason: v.reason ?? '' }));
  }, open);
  return (
    <FormDialog title="Order a disconnection for non-payment" open={open} onClose={onClose} testId="order-disconnect-dialog" form={form} submitLabel="Order disconnect" submitTestId="save-order-disconnect">
      <p className="field-wide">
        A disconnect order for the field on each connected service point, for today. Refused unless a disconnect notice was served and its day has come, and while any protection (medical, winter, heat alert, pledge, arrangement, bankruptcy) holds disconnection.
      </p>
      <ReasonField error={form.error} required autoFocus placeholder="e.g. Customer refused payment at the door" />
    </FormDialog>
  );
}

/** Reconnect disconnected service: the reason, after hours or not, and (supervisors) waive the fee. */
function ReconnectDialog({ accountId, open, onClose, onSaved }: { accountId: number; open: boolean; onClose(): void; onSaved(r: CollectionsReconnectResult): void }) {
  const canWaive = useCan('supervisor');
  const form = useSubmit(async (v) => {
    onSaved(await api.post<CollectionsReconnectResult>(`/accounts/${accountId}/collections/reconnect`, { reason: v.reason ?? '', ...(v.afterHours === 'on' ? { afterHours: true } : {}), ...(canWaive && v.waiveFee === 'on' ? { waiveFee: true } : {}) }));
  }, open);
  return (
    <FormDialog title="Reconnect service" open={open} onClose={onClose} testId="reconnect-dialog" form={form} submitLabel="Reconnect" submitTestId="save-reconnect">
      <p className="field-wide">
        An urgent reconnect order for each disconnected service point, within 24 hours, once the past-due amount is paid or a protection holds disconnection. The reconnection fee is charged, and the after-hours fee when asked outside business hours.
      </p>
      <CheckboxField label="After hours (charge the after-hours fee)" name="afterHours" wide />
      <p className="field-wide field-hint">Not ticked: the server goes by the time of day and the district's business hours.</p>
      {canWaive && <CheckboxField label="Waive the fees" name="waiveFee" wide />}
      <ReasonField error={form.error} required autoFocus placeholder="e.g. Paid in full at the counter" />
    </FormDialog>
  );
}
