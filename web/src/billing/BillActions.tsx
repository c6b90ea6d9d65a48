import type { ReactNode } from 'react';
import { api } from '../api.ts';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorMessage, ReasonField, useSubmit } from '../components/forms.tsx';
import { formatCents } from '../format.ts';
import type { Access } from '../session.tsx';
import type { Bill } from '../types.ts';

/** What staff may do with a bill: each is a POST /bills/:id/<path> with the reason, answering a bill. */
export type BillAction = 'approve' | 'recalculate' | 'keep-holding' | 'cancel' | 'rebill';

interface ActionText {
  access: Access;
  /** The button. */
  label: string;
  title: string;
  submit: string;
  explain: string;
  placeholder: string;
  /** Said after it is done; `result` is the bill the server answered (a new one for recalculate and rebill). */
  done(result: Bill, before: { id: number }): string;
}

const state = (b: Bill) => (b.status === 'posted' ? `posted at ${formatCents(b.totalCents)}` : b.status === 'held' ? `held again (${b.exceptions.filter((e) => e.status === 'open').map((e) => e.code.replace(/_/g, ' ')).join(', ')})` : b.status);

export const billActions: Record<BillAction, ActionText> = {
  approve: {
    access: 'csr2', label: 'Approve', title: 'Approve the bill', submit: 'Approve and post',
    explain: 'The bill is posted to the ledger as it stands.',
    placeholder: 'e.g. Customer confirmed the new pool heater',
    done: (b) => `Bill ${b.id} approved and posted: ${formatCents(b.totalCents)}.`,
  },
  recalculate: {
    access: 'csr1', label: 'Recalculate', title: 'Recalculate the bill', submit: 'Recalculate',
    explain: "The bill is rated again from today's reads and tariffs; the new bill replaces it and posts if it now passes the checks.",
    placeholder: 'e.g. The misread was corrected',
    done: (b, before) => `Bill ${before.id} recalculated as bill ${b.id}, ${state(b)}.`,
  },
  'keep-holding': {
    access: 'csr1', label: 'Keep holding', title: 'Keep holding the bill', submit: 'Keep holding',
    explain: 'The bill stays held; the note is kept in the audit trail.',
    placeholder: 'e.g. Waiting for the check read on Friday',
    done: (b) => `Bill ${b.id} stays held.`,
  },
  cancel: {
    access: 'supervisor', label: 'Cancel bill', title: 'Cancel the bill', submit: 'Cancel the bill',
    explain: 'A posted bill is reversed on the ledger; a held bill is dropped. The period can be billed again.',
    placeholder: 'e.g. Billed to the wrong account',
    done: (b) => `Bill ${b.id} cancelled.`,
  },
  rebill: {
    access: 'csr2', label: 'Rebill', title: 'Rebill the period', submit: 'Cancel and rebill',
    explain: "The bill is cancelled (reversed on the ledger) and the same period is billed again from today's reads and tariffs.",
    placeholder: 'e.g. Customer disputed the read; corrected and rebilled',
    done: (b, before) => `Bill ${before.id} cancelled and rebilled as bill ${b.id}, ${state(b)}.`,
  },
};

/** The reason form of one action, for inside a dialog (the review panel, the bill page). */
export function BillActionForm({ billId, action, onDone, onBack, backLabel = 'Back', children }: {
  billId: number;
  action: BillAction;
  onDone(result: Bill, message: string): void;
  onBack(): void;
  backLabel?: string;
  children?: ReactNode;
}) {
  const text = billActions[action];
  const form = useSubmit(async (v) => {
    const result = await api.post<Bill>(`/bills/${billId}/${action}`, { reason: v.reason });
    onDone(result, text.done(result, { id: billId }));
  }, `${billId}:${action}`);
  return (
    <form onSubmit={form.onSubmit} className="form-grid" noValidate data-testid={`bill-${action}-form`}>
      <ErrorMessage error={form.error} />
      {children}
      <p className="field-wide muted">{text.explain}</p>
      <ReasonField error={form.error} required autoFocus placeholder={text.placeholder} />
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={form.busy} data-testid={`save-bill-${action}`}>
          {text.submit}
        </button>
        <button type="button" onClick={onBack}>
          {backLabel}
        </button>
      </div>
    </form>
  );
}

/** One action on a bill in its own dialog (the bill page). */
export function BillActionDialog({ billId, action, onClose, onDone }: { billId: number; action: BillAction | null; onClose(): void; onDone(result: Bill, message: string): void }) {
  return (
    <Dialog title={action ? `${billActions[action].title} ${billId}` : ''} open={action !== null} onClose={onClose} testId="bill-action-dialog">
      {action && <BillActionForm billId={billId} action={action} onDone={onDone} onBack={onClose} backLabel={action === 'cancel' ? 'Keep the bill' : 'Cancel'} />}
    </Dialog>
  );
}
