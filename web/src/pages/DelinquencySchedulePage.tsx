import { useState } from 'react';
import { api } from '../api.ts';
import { cycleOptions } from '../billing/schedule.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { FilterBar } from '../components/FilterBar.tsx';
import { ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { monthName } from '../dates.ts';
import { utilityToday } from '../format.ts';
import { useApi, useQueryFilters } from '../hooks.ts';
import { Link, setQuery } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { DelinquencyScheduleItem } from '../types.ts';

const byMonthAndCycle = (a: DelinquencyScheduleItem, b: DelinquencyScheduleItem) => a.month - b.month || a.cycle - b.cycle;

const date = (testId: string, value: string) => <span data-testid={testId}>{value}</span>;
const columns: Column<DelinquencyScheduleItem>[] = [
  { header: 'Month', cell: (e) => <span data-testid="dq-month">{monthName(e.month)}</span> },
  { header: 'Cycle', className: 'num', cell: (e) => <span data-testid="dq-cycle">{e.cycle}</span> },
  { header: 'Due', className: 'nowrap', cell: (e) => date('dq-due', e.dueDate) },
  { header: 'Past due', className: 'nowrap', cell: (e) => date('dq-past-due', e.pastDueDate) },
  { header: 'Late fee', className: 'nowrap', cell: (e) => date('dq-late-fee', e.lateFeeDate) },
  { header: 'Notice', className: 'nowrap', cell: (e) => date('dq-notice', e.noticeDate) },
  { header: 'Disconnect eligible', className: 'nowrap', cell: (e) => date('dq-disconnect', e.disconnectEligibleDate) },
  { header: 'Out of state', className: 'nowrap', cell: (e) => date('dq-disconnect-out-of-state', e.disconnectEligibleOutOfStateDate) },
];

function GenerateDialog({ year, open, onClose, onSaved }: { year: number; open: boolean; onClose(): void; onSaved(message: string): void }) {
  const form = useSubmit(async (v) => {
    const result = await api.post<{ year: number; items: DelinquencyScheduleItem[] }>('/collections/schedule/generate', { year, reason: v.reason });
    onSaved(`Made the ${result.year} delinquency schedule again: ${result.items.length} entries.`);
  }, open);
  const { error } = form;
  return (
    <FormDialog title={`Make the ${year} delinquency schedule again`} open={open} onClose={onClose} testId="generate-delinquency-dialog" form={form} submitLabel="Make again" submitTestId="save-generate-delinquency">
      <p className="field-wide muted">Every entry's dates are worked out again from the due dates of the {year} billing schedule. It is made on its own whenever the billing schedule is generated or a due date moves.</p>
      <ReasonField error={error} required placeholder="e.g. District holiday added" />
    </FormDialog>
  );
}

/** The delinquency schedule of a year: per cycle and month, the dates that follow a bill's due date; a supervisor makes it again. */
export function DelinquencySchedulePage() {
  const filters = useQueryFilters('year', 'cycle');
  const today = utilityToday();
  const year = /^\d{4}$/.test(filters.year) ? Number(filters.year) : Number(today.slice(0, 4));
  const cycle = filters.cycle;
  const isSupervisor = useCan('supervisor');
  const schedule = useApi(`delinquency-schedule:${year}`, (signal) => api.get<{ items: DelinquencyScheduleItem[] }>('/collections/schedule', { year }, signal));
  const [generating, setGenerating] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const items = schedule.data?.items ?? [];
  const shown = (cycle ? items.filter((e) => String(e.cycle) === cycle) : items).slice().sort(byMonthAndCycle);
  const saved = (message: string) => {
    setGenerating(false);
    setDone(message);
    schedule.reload();
  };

  return (
    <>
      <PageHeader
        title="Delinquency schedule"
        subtitle="When an unpaid bill of each cycle and month becomes past due, takes a late fee, gets its notice and may be disconnected."
        actions={
          isSupervisor && (
            <button type="button" className="button-primary" onClick={() => { setDone(null); setGenerating(true); }} data-testid="generate-delinquency">
              Make again from the billing schedule
            </button>
          )
        }
      />
      <SuccessBanner message={done} testId="delinquency-done" />
      <Card
        title={`${year}${cycle ? ` · cycle ${cycle}` : ''}`}
        testId="delinquency-schedule"
        actions={
          <>
            <button type="button" className="button-small" onClick={() => setQuery({ year: year - 1 })} aria-label={`Show ${year - 1}`}>← {year - 1}</button>
            <button type="button" className="button-small" onClick={() => setQuery({ year: year + 1 })} aria-label={`Show ${year + 1}`}>{year + 1} →</button>
          </>
        }
      >
        <p className="muted small" data-testid="delinquency-explained">
          Past due is the day after the due date; the late-fee and notice dates are business days after the due date. Washington's notice periods: disconnection may come 8 business days after a mailed notice, 11 when the customer's address is out of state.
        </p>
        <FilterBar key={`${year}:${cycle}`} label="Choose the delinquency schedule">
          <TextField label="Year" name="year" type="number" min={2000} max={9998} defaultValue={year} className="input-short" required />
          <SelectField label="Cycle" name="cycle" options={cycleOptions} blank="Every cycle" defaultValue={cycle} />
        </FilterBar>
        {schedule.error ? (
          <LoadError error={schedule.error} retry={schedule.reload} />
        ) : !schedule.data ? (
          <Loading what="Loading the delinquency schedule" />
        ) : shown.length === 0 ? (
          <Empty>
            No delinquency schedule for {cycle ? `cycle ${cycle} in ` : ''}{year}. It is made with the <Link to={`/billing/schedule?year=${year}`}>billing schedule</Link>.
          </Empty>
        ) : (
          <DataTable columns={columns} rows={shown} rowKey={(e) => e.billingScheduleId} testId="delinquency-table" />
        )}
      </Card>
      <GenerateDialog year={year} open={generating} onClose={() => setGenerating(false)} onSaved={saved} />
    </>
  );
}
