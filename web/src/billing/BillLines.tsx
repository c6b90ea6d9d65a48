import { formatCents } from '../format.ts';
import type { BillLine } from '../types.ts';
import { formatPrice, formatQuantity, unitFor } from './money.ts';

/** `426.666666 kWh × $0.0812`, `3.873% of $84.61`, `30 days × $0.55`. */
export function quantityTimesPrice(line: BillLine): string {
  if (line.unit === '%') return `${line.unitPrice}% of ${formatPrice(line.quantity)}`;
  return `${formatQuantity(line.quantity)} ${unitFor(line.unit, line.quantity)} × ${formatPrice(line.unitPrice)}`;
}

/**
 * The lines of a bill or a quote: what each is, quantity × unit price, the amount, and how it was
 * derived (in words a CSR can read to the customer). A line that covers only part of the period (a
 * season or a rate change split it) says which days.
 */
export function BillLines({ lines, totalCents, periodFrom, periodTo, testId }: { lines: BillLine[]; totalCents: number; periodFrom?: string; periodTo?: string; testId?: string }) {
  return (
    <div className="table-wrap">
      <table className="table bill-lines" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col" className="num">Quantity × price</th>
            <th scope="col" className="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => {
            const part = periodFrom !== undefined && (l.from !== periodFrom || l.to !== periodTo);
            return (
              <tr key={i} className={`bill-line bill-line-${l.kind}`} data-testid="bill-line" data-code={l.code}>
                <td>
                  <div className="bill-line-head">
                    <span>{l.description}</span>
                    <span className="mono muted small">{l.code}</span>
                    {part && <span className="muted small">{l.from} to {l.to}</span>}
                    <span className="muted small">{l.tariffVersion}</span>
                  </div>
                  <div className="derivation small" data-testid="line-derivation">{l.derivation}</div>
                </td>
                <td className="num nowrap">{quantityTimesPrice(l)}</td>
                <td className={`num nowrap${l.amountCents < 0 ? ' credit' : ''}`}>{formatCents(l.amountCents)}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr className="bill-total">
            <th scope="row" colSpan={2}>Total</th>
            <td className="num nowrap" data-testid="bill-total">{formatCents(totalCents)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
