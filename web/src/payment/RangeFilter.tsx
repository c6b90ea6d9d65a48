import type { ReactNode } from 'react';
import { TextField } from '../components/forms.tsx';
import { FilterBar } from '../components/FilterBar.tsx';
import { addDays } from '../dates.ts';
import { utilityToday } from '../format.ts';
import { useQueryFilters } from '../hooks.ts';
import { Link, useLocation } from '../router.tsx';

/**
 * A report's date range from the URL (`from`, `to`), the last `days` days to today when not given
 * (and again after Clear).
 */
export function useRange(days = 7): { from: string; to: string } {
  const filters = useQueryFilters('from', 'to');
  const today = utilityToday();
  return { from: filters.from || addDays(today, -(days - 1)), to: filters.to || today };
}

/** The From and To inputs of a report's filter bar, and any other filters of the page. */
export function RangeFilter({ label, range, children }: { label: string; range: { from: string; to: string }; children?: ReactNode }) {
  return (
    <FilterBar key={`${range.from}|${range.to}`} label={label}>
      <TextField label="From" name="from" type="date" defaultValue={range.from} required />
      <TextField label="To" name="to" type="date" defaultValue={range.to} required />
      {children}
    </FilterBar>
  );
}

const reports = [
  { to: '/payments/reports/deposit-summary', label: 'Deposit summary', testId: 'tab-deposit-summary' },
  { to: '/payments/reports/reconciliation', label: 'Reconciliation', testId: 'tab-reconciliation' },
  { to: '/payments/reports/web', label: 'Web payments', testId: 'tab-web-payments' },
  { to: '/payments/reports/obi', label: 'Online bill-pay', testId: 'tab-obi' },
];

/** The payment reports as tabs; the range in force goes along. */
export function ReportTabs() {
  const { path, query } = useLocation();
  const range = new URLSearchParams();
  for (const key of ['from', 'to']) {
    const value = query.get(key);
    if (value) range.set(key, value);
  }
  const qs = range.toString();
  return (
    <nav className="tabs" aria-label="Payment reports">
      {reports.map((r) => (
        <Link key={r.to} to={qs ? `${r.to}?${qs}` : r.to} aria-current={path === r.to ? 'page' : undefined} data-testid={r.testId}>
          {r.label}
        </Link>
      ))}
    </nav>
  );
}
