import { api } from '../api.ts';
import { Card, Empty, LoadError, Loading, PageHeader } from '../components/ui.tsx';
import { formatCents } from '../format.ts';
import { useApi } from '../hooks.ts';
import { channelLabel, methodLabel } from '../payment/labels.tsx';
import { RangeFilter, ReportTabs, useRange } from '../payment/RangeFilter.tsx';
import type { DepositSummaryRow } from '../types.ts';

interface Sum {
  count: number;
  totalCents: number;
  reversedCount: number;
  reversedCents: number;
}
const add = (a: Sum, r: Sum): Sum => ({ count: a.count + r.count, totalCents: a.totalCents + r.totalCents, reversedCount: a.reversedCount + r.reversedCount, reversedCents: a.reversedCents + r.reversedCents });
const zero: Sum = { count: 0, totalCents: 0, reversedCount: 0, reversedCents: 0 };

function Figures({ sum }: { sum: Sum }) {
  return (
    <>
      <td className="num">{sum.count}</td>
      <td className="num nowrap">{formatCents(sum.totalCents)}</td>
      <td className="num">{sum.reversedCount || <span className="muted">0</span>}</td>
      <td className="num nowrap">{sum.reversedCents ? formatCents(sum.reversedCents) : <span className="muted">{formatCents(0)}</span>}</td>
      <td className="num nowrap">{formatCents(sum.totalCents - sum.reversedCents)}</td>
    </>
  );
}

/**
 * The deposit summary: money received per day, channel and method, with what of it was reversed
 * since (returned or corrected), a subtotal per day and the range's total.
 */
export function DepositSummaryPage() {
  const range = useRange(7);
  const report = useApi(`deposit-summary:${range.from}:${range.to}`, (signal) => api.get<{ items: DepositSummaryRow[] }>('/reports/deposit-summary', range, signal));
  const rows = report.data?.items ?? [];
  const days = [...new Set(rows.map((r) => r.day))];
  const total = rows.reduce(add, zero);

  return (
    <>
      <PageHeader title="Deposit summary" subtitle="Money received per day, channel and method; reversed: returned or corrected since." />
      <ReportTabs />
      <Card title={`Received, ${range.from} to ${range.to}`} testId="deposit-summary">
        <RangeFilter label="Choose the days of the deposit summary" range={range} />
        {report.error ? (
          <LoadError error={report.error} retry={report.reload} />
        ) : !report.data ? (
          <Loading what="Loading the deposit summary" />
        ) : rows.length === 0 ? (
          <Empty>No payments received in these days.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table register-table" data-testid="deposit-summary-table">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Method</th>
                  <th scope="col" className="num">Payments</th>
                  <th scope="col" className="num">Received</th>
                  <th scope="col" className="num">Reversed</th>
                  <th scope="col" className="num">Reversed $</th>
                  <th scope="col" className="num">Net</th>
                </tr>
              </thead>
              {days.map((day) => {
                const ofDay = rows.filter((r) => r.day === day);
                return (
                  <tbody key={day}>
                    {ofDay.map((r) => (
                      <tr key={`${r.channel}:${r.method}`} data-testid="deposit-summary-row">
                        <td className="nowrap">{r.day}</td>
                        <td>{channelLabel(r.channel)}</td>
                        <td>{methodLabel(r.method)}</td>
                        <Figures sum={r} />
                      </tr>
                    ))}
                    {ofDay.length > 1 && (
                      <tr className="register-subtotal">
                        <th scope="row" colSpan={3}>{day} total</th>
                        <Figures sum={ofDay.reduce(add, zero)} />
                      </tr>
                    )}
                  </tbody>
                );
              })}
              <tfoot>
                <tr className="bill-total" data-testid="deposit-summary-total">
                  <th scope="row" colSpan={3}>Total</th>
                  <Figures sum={total} />
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
