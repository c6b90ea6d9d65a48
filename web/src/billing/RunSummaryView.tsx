import { Fragment } from 'react';
import { Card, Empty, Facts } from '../components/ui.tsx';
import { formatCents, humanize } from '../format.ts';
import { Link } from '../router.tsx';
import type { RunSummary } from '../types.ts';
import { ServiceTag, TiedBadge } from './badges.tsx';
import { formatPrice, formatQuantity, unitFor } from './money.ts';

/** Why the run passed an agreement by. */
export const skipReasons: Record<string, string> = {
  held_bill_open: 'An earlier bill is still held',
  no_meter: 'No meter to read',
  no_read: 'No read, and none could be estimated',
  nothing_to_bill: 'Already billed to the read date',
};

type RegisterRow = RunSummary['register'][number];

/** The summary's figures as one card: what was looked at, posted, held, skipped and estimated. */
export function RunCounts({ summary }: { summary: RunSummary }) {
  const skipped = Object.entries(summary.skipped).filter(([, n]) => (n ?? 0) > 0);
  const skippedTotal = skipped.reduce((sum, [, n]) => sum + (n ?? 0), 0);
  return (
    <Card title="Run summary" testId="run-summary">
      {summary.alreadyCompleted && (
        <p className="notice" role="status" data-testid="run-already-completed">
          This cycle's run for read date {summary.readDate} had completed before; nothing was billed now. Its totals are below.
        </p>
      )}
      <Facts
        items={[
          ['Cycle', summary.cycle],
          ['Read date', summary.readDate],
          ['Bill date', summary.billDate],
          ['Due date', summary.dueDate],
          ['Agreements looked at', <span data-testid="run-selected">{summary.selected}</span>],
          ['Bills posted', <span data-testid="run-posted">{summary.bills.posted} · {formatCents(summary.bills.postedCents)}</span>],
          [
            'Bills held',
            <span data-testid="run-held">
              {summary.bills.held} · {formatCents(summary.bills.heldCents)}
              {summary.bills.held > 0 && <> · <Link to="/billing/exceptions">review</Link></>}
            </span>,
          ],
          ['Tax on posted bills', formatCents(summary.bills.taxCents)],
          ['Reads estimated', summary.estimatedReads],
          ['Skipped', <span data-testid="run-skipped">{skippedTotal}</span>],
        ]}
      />
      {skipped.length > 0 && (
        <>
          <h3 className="subheading">Skipped agreements</h3>
          <ul className="plain-list skip-list" data-testid="run-skip-reasons">
            {skipped.map(([why, n]) => (
              <li key={why}>
                <span className="num-pill">{n}</span> {skipReasons[why] ?? humanize(why)} <span className="mono muted small">{why}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

/** Control totals: the posted lines, the posted bills and their ledger entries must agree. */
export function ControlTotals({ control }: { control: RunSummary['control'] }) {
  return (
    <Card title="Control totals" testId="control-totals" actions={<TiedBadge tied={control.tied} testId="control-tied" />}>
      <Facts
        items={[
          ['Sum of bill lines', formatCents(control.lineCents)],
          ['Sum of posted bills', formatCents(control.billCents)],
          ['Sum of ledger entries', formatCents(control.ledgerCents)],
          ['Posted bills', control.postedBills],
          ['Ledger entries', control.ledgerEntries],
        ]}
      />
      <p className={`small control-note${control.tied ? ' muted' : ' control-broken'}`}>
        {control.tied
          ? 'Lines, bills and ledger agree: every posted bill is on the ledger once, for the sum of its lines.'
          : 'Lines, bills and ledger do not agree. Do not mail these bills; report the run to the billing supervisor.'}
      </p>
    </Card>
  );
}

/** The billing register: posted lines summed by service, customer class and line, with subtotals. */
export function RegisterTable({ register }: { register: RegisterRow[] }) {
  if (register.length === 0) return <Empty>No bills were posted in this run.</Empty>;
  const groups = new Map<string, RegisterRow[]>();
  for (const row of register) {
    const key = `${row.service}\u0000${row.customerClass}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const total = register.reduce((n, r) => n + r.amountCents, 0);
  return (
    <div className="table-wrap">
      <table className="table register-table" data-testid="register-table">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">Lines</th>
            <th scope="col" className="num">Quantity</th>
            <th scope="col" className="num">Amount</th>
          </tr>
        </thead>
        {[...groups.values()].map((rows) => {
          const first = rows[0]!;
          const subtotal = rows.reduce((n, r) => n + r.amountCents, 0);
          return (
            <Fragment key={`${first.service}:${first.customerClass}`}>
              <tbody>
                <tr className="register-group">
                  <th scope="rowgroup" colSpan={5}>
                    <ServiceTag service={first.service} /> {humanize(first.customerClass)}
                  </th>
                </tr>
                {rows.map((r) => (
                  <tr key={`${r.kind}:${r.code}:${r.unit}`}>
                    <td>
                      <span className="mono">{r.code}</span>
                    </td>
                    <td>{humanize(r.kind)}</td>
                    <td className="num">{r.lines}</td>
                    <td className="num nowrap">{r.unit === '%' ? `on ${formatPrice(r.quantity)}` : `${formatQuantity(r.quantity)} ${unitFor(r.unit, r.quantity)}`}</td>
                    <td className="num nowrap">{formatCents(r.amountCents)}</td>
                  </tr>
                ))}
                <tr className="register-subtotal">
                  <th scope="row" colSpan={4}>
                    {humanize(first.service)}, {humanize(first.customerClass).toLowerCase()}
                  </th>
                  <td className="num nowrap">{formatCents(subtotal)}</td>
                </tr>
              </tbody>
            </Fragment>
          );
        })}
        <tfoot>
          <tr className="bill-total">
            <th scope="row" colSpan={4}>All posted lines</th>
            <td className="num nowrap" data-testid="register-total">{formatCents(total)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
