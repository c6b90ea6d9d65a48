import { useState, type ReactNode } from 'react';
import { api } from '../api.ts';
import { FindingList } from '../components/checkExceptions.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { Facts, LoadError, Loading } from '../components/ui.tsx';
import { formatCents } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { Bill, HeldBill } from '../types.ts';
import { BillActionForm, billActions, type BillAction } from './BillActions.tsx';
import { BillLines } from './BillLines.tsx';
import { ServiceTag } from './badges.tsx';
import { formatQuantity } from './money.ts';

const queueActions: BillAction[] = ['approve', 'recalculate', 'keep-holding', 'cancel'];

/** The facts of a bill that say what it is for. */
export function billFacts(bill: Bill) {
  return [
    ['Service', <><ServiceTag service={bill.service} /> <span className="mono">{bill.rateCode}</span></>],
    ['Period', `${bill.periodFrom} to ${bill.periodTo}`],
    ['Use', bill.usage === null ? 'not metered' : `${formatQuantity(bill.usage)} ${bill.usageUnit ?? ''}${bill.estimated ? ' (estimated)' : ''}`],
    ...(bill.demandKw ? [['Billing demand', `${bill.demandKw} kW`]] : []),
    ['Bill date', bill.billDate],
    ['Due date', bill.dueDate],
    ['Total', <strong>{formatCents(bill.totalCents)}</strong>],
  ] as [string, ReactNode][];
}

/**
 * A held bill opened from the queue: why it is held, its lines with their derivations, and what to
 * do with it. Each action asks for the reason in the same panel.
 */
export function BillReviewDialog({ held, onClose, onDone }: { held: HeldBill | null; onClose(): void; onDone(message: string): void }) {
  const [action, setAction] = useState<BillAction | null>(null);
  const [openFor, setOpenFor] = useState<number | null>(null);
  // A new bill opened starts at the review, not at the last action's form.
  if ((held?.id ?? null) !== openFor) {
    setOpenFor(held?.id ?? null);
    setAction(null);
  }
  const can = {
    approve: useCan('csr2'),
    recalculate: useCan('csr1'),
    'keep-holding': useCan('csr1'),
    cancel: useCan('supervisor'),
    rebill: useCan('csr2'),
  } satisfies Record<BillAction, boolean>;
  const bill = useApi(`bill:${held?.id ?? ''}`, (signal) => (held ? api.get<Bill>(`/bills/${held.id}`, undefined, signal) : Promise.resolve(null)));
  const b = bill.data;
  const title = held ? `Held bill ${held.id} · account ${held.accountNumber}` : 'Held bill';
  const open = held !== null;

  return (
    <Dialog title={title} open={open} onClose={onClose} testId="bill-review-dialog">
      {held && (
        <div className="bill-review">
          {bill.error ? (
            <LoadError error={bill.error} retry={bill.reload} />
          ) : !b ? (
            <Loading what="Loading the bill" />
          ) : action ? (
            <BillActionForm billId={b.id} action={action} onBack={() => setAction(null)} onDone={(_, message) => onDone(message)}>
              <p className="field-wide">
                <strong>{billActions[action].title}</strong> {b.id} of account <span className="mono">{held.accountNumber}</span>, {b.periodFrom} to {b.periodTo}, {formatCents(b.totalCents)}.
              </p>
            </BillActionForm>
          ) : (
            <>
              <section className="held-panel" aria-label="Why the bill is held" data-testid="bill-review-reasons">
                <FindingList findings={held.reasons} />
              </section>
              <Facts items={[['Account', <Link to={`/accounts/${b.accountId}`} className="mono">{held.accountNumber}</Link>], ...billFacts(b)]} />
              <h3 className="subheading">Lines</h3>
              <BillLines lines={b.lines} totalCents={b.totalCents} periodFrom={b.periodFrom} periodTo={b.periodTo} testId="review-bill-lines" />
              <div className="form-actions review-actions" role="group" aria-label="What to do with the bill">
                {queueActions.filter((a) => can[a]).map((a) => (
                  <button key={a} type="button" className={a === 'approve' ? 'button-primary' : undefined} onClick={() => setAction(a)} data-testid={`bill-${a}`}>
                    {billActions[a].label}
                  </button>
                ))}
                <Link to={`/bills/${b.id}`} className="button review-open">Open the bill page</Link>
              </div>
            </>
          )}
        </div>
      )}
    </Dialog>
  );
}
