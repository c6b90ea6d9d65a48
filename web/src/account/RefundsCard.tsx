import { useState } from 'react';
import { api } from '../api.ts';
import { parseDollars } from '../billing/money.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { clientError, ReasonField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, Facts, LoadError, Loading, SuccessBanner } from '../components/ui.tsx';
import { addressLine, formatCents, formatTimestamp, humanize, utilityToday } from '../format.ts';
import { useApi } from '../hooks.ts';
import { useCan } from '../session.tsx';
import type { AccountRefunds, Refund, RefundSettings, RefundStatus } from '../types.ts';

/** Words and pieces of refunds shared by the account's card and the refunds page. */

const statusTone: Record<RefundStatus, string> = { requested: 'warn', approved: 'info', exported: 'good', returned: 'bad', cancelled: 'muted' };
const statusLabels: Record<RefundStatus, string> = { requested: 'Waiting for approval', approved: 'Approved', exported: 'Sent to accounts payable', returned: 'Check returned', cancelled: 'Cancelled' };

export function RefundBadge({ status }: { status: string }) {
  const s = status as RefundStatus;
  return <span className={`badge badge-${statusTone[s] ?? 'muted'}`} data-testid="refund-status" data-status={status}>{statusLabels[s] ?? humanize(status)}</span>;
}

const kindLabels: Record<string, string> = { credit_balance: 'Credit balance', deposit: 'Deposit', solar: 'Net-metering credit' };
export const refundKindLabel = (kind: string) => kindLabels[kind] ?? humanize(kind);

/** `Refund 12 of $30.00` */
export const refundTitle = (r: Pick<Refund, 'id' | 'amountCents'>) => `Refund ${r.id} of ${formatCents(r.amountCents)}`;

/** Where a refund stands, with its dates (approved, sent in which file, returned) and why it closed. */
export function RefundState({ r }: { r: Refund }) {
  return (
    <>
      <RefundBadge status={r.status} />
      {r.approvedAt && <div className="small muted">Approved {formatTimestamp(r.approvedAt)}</div>}
      {r.exportId !== null && <div className="small muted">In accounts-payable file {r.exportId}</div>}
      {r.returnedOn && <div className="small muted">Returned {r.returnedOn}</div>}
      {r.closedReason && <div className="small">{r.closedReason}</div>}
    </>
  );
}

/** The actions a refund's row offers: approve (waiting), cancel (not yet exported), check returned (exported). */
export interface RefundActions {
  approve?(r: Refund): void;
  cancel?(r: Refund): void;
  returned?(r: Refund): void;
}

export function RefundButtons({ r, actions }: { r: Refund; actions: RefundActions }) {
  const title = refundTitle(r);
  return (
    <div className="row-actions">
      {actions.approve && r.status === 'requested' && (
        <button type="button" className="button-small" onClick={() => actions.approve!(r)} aria-label={`Approve ${title}`} data-testid="approve-refund">
          Approve
        </button>
      )}
      {actions.cancel && (r.status === 'requested' || r.status === 'approved') && (
        <button type="button" className="button-small" onClick={() => actions.cancel!(r)} aria-label={`Cancel ${title}`} data-testid="cancel-refund">
          Cancel
        </button>
      )}
      {actions.returned && r.status === 'exported' && (
        <button type="button" className="button-small" onClick={() => actions.returned!(r)} aria-label={`The check of ${title} came back`} data-testid="refund-check-returned">
          Check returned
        </button>
      )}
    </div>
  );
}

/** What a refund action did, in a sentence. */
export function refundDoneText(how: 'approve' | 'cancel' | 'returned', r: Refund): string {
  if (how === 'approve') return `${refundTitle(r)} approved: the credit has left the account; it goes in the next accounts-payable file.`;
  if (how === 'cancel') return `${refundTitle(r)} cancelled${r.approvedAt ? ': the credit is back on the account' : ''}.`;
  return `${refundTitle(r)}: the check came back on ${r.returnedOn ?? ''}. The credit is back on the account, which is flagged to confirm the mailing address.`;
}

/**
 * The dialogs of a refund's actions, each with a reason: approve (above the approval limit the
 * server refuses anyone but a supervisor, and its message is shown), cancel, and the check the
 * post office returned (with the day it came back).
 */
export function RefundDialogs({ acting, onClose, onSaved }: { acting: { how: 'approve' | 'cancel' | 'returned'; refund: Refund } | null; onClose(): void; onSaved(how: 'approve' | 'cancel' | 'returned', r: Refund): void }) {
  const how = acting?.how;
  return (
    <>
      <RefundActionDialog how="approve" refund={how === 'approve' ? acting!.refund : null} onClose={onClose} onSaved={(r) => onSaved('approve', r)} />
      <RefundActionDialog how="cancel" refund={how === 'cancel' ? acting!.refund : null} onClose={onClose} onSaved={(r) => onSaved('cancel', r)} />
      <RefundActionDialog how="returned" refund={how === 'returned' ? acting!.refund : null} onClose={onClose} onSaved={(r) => onSaved('returned', r)} />
    </>
  );
}

const actionTitles = { approve: 'Approve', cancel: 'Cancel', returned: 'Check returned:' } as const;

function RefundActionDialog({ how, refund, onClose, onSaved }: { how: 'approve' | 'cancel' | 'returned'; refund: Refund | null; onClose(): void; onSaved(r: Refund): void }) {
  const form = useSubmit(async (v) => {
    const body = how === 'returned' ? { returnedOn: v.returnedOn ?? '', reason: v.reason ?? '' } : { reason: v.reason ?? '' };
    onSaved(await api.post<Refund>(`/refunds/${refund!.id}/${how === 'returned' ? 'returned' : how}`, body));
  }, refund);
  const { error } = form;
  return (
    <FormDialog
      title={refund ? `${actionTitles[how]} ${refundTitle(refund).replace('Refund', 'refund')}` : 'Refund'}
      open={refund !== null}
      onClose={onClose}
      testId={`${how}-refund-dialog`}
      form={form}
      submitLabel={how === 'approve' ? 'Approve refund' : how === 'cancel' ? 'Cancel refund' : 'Record the returned check'}
      submitTestId={`save-${how}-refund`}
    >
      {refund && (
        <p className="field-wide">
          {how === 'approve'
            ? `${refundKindLabel(refund.kind)} refund to ${refund.payeeName}, ${addressLine(refund.payeeAddress)}. Approved, the credit leaves the account and the refund goes in the next accounts-payable file.`
            : how === 'cancel'
              ? `The refund is not paid${refund.status === 'approved' ? ' and its credit goes back on the account' : ''}.`
              : `The check to ${refund.payeeName} at ${addressLine(refund.payeeAddress)} came back from the post office: the credit goes back on the account, which is flagged to confirm the mailing address before refunding again.`}
        </p>
      )}
      {how === 'returned' && <TextField label="Returned on" name="returnedOn" type="date" field="body.returnedOn" error={error} defaultValue={utilityToday()} required />}
      <ReasonField error={error} required autoFocus placeholder={how === 'approve' ? 'e.g. Overpayment confirmed on the ledger' : how === 'cancel' ? 'e.g. Customer asked to keep the credit on the account' : 'e.g. Moved, no forwarding address'} />
    </FormDialog>
  );
}

/**
 * The account's refunds: the credit it has to refund, its refunds newest first with where each
 * stands, and "Refund credit" (all of it by default). Within the approval limit a refund is
 * approved as it is asked for; above it, it waits for a supervisor's approval. A CSR II cancels
 * one not yet exported; a CSR records a check the post office returned. `version` changes when
 * something elsewhere on the page moved money; `onChange` runs after a change here moved money.
 */
export function RefundsCard({ accountId, version = 0, onChange }: { accountId: number; version?: number; onChange?(): void }) {
  const canRefund = useCan('csr1');
  const canCancel = useCan('csr2');
  const refunds = useApi(`account-refunds:${accountId}:${version}`, (signal) => api.get<AccountRefunds>(`/accounts/${accountId}/refunds`, undefined, signal));
  const settings = useApi('refund-settings', (signal) => api.get<RefundSettings>('/refunds/settings', undefined, signal));
  const [requesting, setRequesting] = useState(false);
  const [acting, setActing] = useState<{ how: 'approve' | 'cancel' | 'returned'; refund: Refund } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const data = refunds.data;
  const credit = data?.creditAvailableCents ?? 0;

  const act = (how: 'approve' | 'cancel' | 'returned') => (refund: Refund) => {
    setDone(null);
    setActing({ how, refund });
  };
  const actions: RefundActions = canRefund ? { approve: act('approve'), returned: act('returned'), ...(canCancel ? { cancel: act('cancel') } : {}) } : {};
  const changed = (text: string) => {
    setDone(text);
    refunds.reload();
    onChange?.();
  };

  const columns: Column<Refund>[] = [
    { header: 'Refund', className: 'nowrap', cell: (r) => <span className="mono">Refund {r.id}</span> },
    { header: 'Asked', className: 'nowrap', cell: (r) => formatTimestamp(r.requestedAt) },
    { header: 'Kind', className: 'nowrap', cell: (r) => refundKindLabel(r.kind) },
    { header: 'Amount', className: 'num nowrap', cell: (r) => <span data-testid="refund-amount">{formatCents(r.amountCents)}</span> },
    { header: 'Status', cell: (r) => <RefundState r={r} /> },
    { header: 'To', cell: (r) => <>{r.payeeName}<div className="small muted">{addressLine(r.payeeAddress)}</div></> },
    { header: 'Reason', cell: (r) => r.reason },
    { header: <span className="visually-hidden">Actions</span>, className: 'actions-cell', cell: (r) => <RefundButtons r={r} actions={actions} /> },
  ];

  return (
    <Card
      title="Refunds"
      testId="refunds-card"
      actions={
        canRefund && data && credit > 0 && (
          <button type="button" className="button-small" onClick={() => { setDone(null); setRequesting(true); }} data-testid="refund-credit">
            Refund credit
          </button>
        )
      }
    >
      <SuccessBanner message={done} testId="refund-done" className="small" />
      {refunds.error ? (
        <LoadError error={refunds.error} retry={refunds.reload} />
      ) : !data ? (
        <Loading what="Loading the refunds" />
      ) : (
        <>
          <Facts
            items={[
              ['Credit available to refund', <strong className={credit > 0 ? 'credit' : undefined} data-testid="refund-credit-available" data-cents={credit}>{formatCents(credit)}</strong>],
              ['Approval limit', settings.data ? `${formatCents(settings.data.approvalLimitCents)}; more needs a supervisor` : ''],
            ]}
          />
          {data.items.length === 0 ? <Empty>No refunds yet.</Empty> : <DataTable columns={columns} rows={data.items} testId="account-refunds-table" />}
        </>
      )}
      {canRefund && (
        <>
          <RequestRefundDialog
            accountId={accountId}
            creditCents={requesting ? credit : null}
            limitCents={settings.data?.approvalLimitCents ?? null}
            onClose={() => setRequesting(false)}
            onSaved={(r) => {
              setRequesting(false);
              changed(r.status === 'requested'
                ? `${refundTitle(r)} asked for: it is above the approval limit and waits for a supervisor's approval.`
                : `${refundTitle(r)} approved: the credit has left the account; it goes in the next accounts-payable file.`);
            }}
          />
          <RefundDialogs
            acting={acting}
            onClose={() => setActing(null)}
            onSaved={(how, r) => {
              setActing(null);
              changed(refundDoneText(how, r));
            }}
          />
        </>
      )}
    </Card>
  );
}

/** Refund the account's credit: the amount (all of it by default) and the reason. */
function RequestRefundDialog({ accountId, creditCents, limitCents, onClose, onSaved }: { accountId: number; creditCents: number | null; limitCents: number | null; onClose(): void; onSaved(r: Refund): void }) {
  const form = useSubmit(async (v) => {
    const amountCents = parseDollars(v.amount ?? '');
    if (amountCents === null) throw clientError('body.amountCents', 'Write the amount in dollars and cents, e.g. 30.00');
    if (amountCents === 0) throw clientError('body.amountCents', 'The amount cannot be zero');
    onSaved(await api.post<Refund>(`/accounts/${accountId}/refunds`, { amountCents, reason: v.reason ?? '' }));
  }, creditCents);
  const { error } = form;
  return (
    <FormDialog title="Refund the account's credit" open={creditCents !== null} onClose={onClose} testId="refund-credit-dialog" form={form} submitLabel="Refund" submitTestId="save-refund-credit">
      {creditCents !== null && (
        <p className="field-wide">
          The account has {formatCents(creditCents)} of credit to refund. A check is sent to the customer at the billing address through accounts payable.
          {limitCents !== null ? ` Up to ${formatCents(limitCents)} it is approved at once; more waits for a supervisor's approval.` : ''}
        </p>
      )}
      <TextField
        label="Amount ($)"
        name="amount"
        field={['body.amountCents', 'amountCents']}
        error={error}
        inputMode="decimal"
        autoComplete="off"
        required
        className="mono"
        defaultValue={creditCents ? formatCents(creditCents).replace('$', '') : ''}
        hint={creditCents !== null ? `At most ${formatCents(creditCents)}` : undefined}
      />
      <ReasonField error={error} required autoFocus placeholder="e.g. Customer overpaid and asked for the credit back" />
    </FormDialog>
  );
}
