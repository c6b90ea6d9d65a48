import { useState } from 'react';
import { api, ApiError } from '../api.ts';
import { BillingBadge } from '../billing/badges.tsx';
import { cycleOptions } from '../billing/schedule.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { FilterBar } from '../components/FilterBar.tsx';
import { integerOrText, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { monthName } from '../dates.ts';
import { utilityToday } from '../format.ts';
import { useApi, useQueryFilters } from '../hooks.ts';
import { Link, setQuery } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { ScheduleItem } from '../types.ts';

const entryName = (e: ScheduleItem) => `cycle ${e.cycle}, ${monthName(e.month)} ${e.year}`;
const billed = (e: ScheduleItem) => e.runId !== null;

function Locked({ entry }: { entry: ScheduleItem }) {
  return (
    <span className="locked" data-testid="schedule-locked">
      <span aria-hidden="true">🔒</span> Billed · <Link to={`/billing/runs/${entry.runId}`}>run {entry.runId}</Link> {entry.runStatus && entry.runStatus !== 'completed' && <BillingBadge status={entry.runStatus} />}
    </span>
  );
}

function cycleColumns(edit: ((e: ScheduleItem) => void) | null): Column<ScheduleItem>[] {
  const cols: Column<ScheduleItem>[] = [
    { header: 'Month', cell: (e) => monthName(e.month) },
    { header: 'Read date', className: 'nowrap', cell: (e) => e.readDate },
    { header: 'Bill date', className: 'nowrap', cell: (e) => e.billDate },
    { header: 'Due date', className: 'nowrap', cell: (e) => e.dueDate },
    { header: 'State', cell: (e) => (billed(e) ? <Locked entry={e} /> : <span className="muted">Not billed yet</span>) },
  ];
  if (edit) {
    cols.push({
      header: <span className="visually-hidden">Actions</span>,
      className: 'actions-cell',
      cell: (e) =>
        billed(e) ? null : (
          <button type="button" className="button-small" onClick={() => edit(e)} aria-label={`Change the dates of ${entryName(e)}`} data-testid="edit-schedule-entry">
            Change dates
          </button>
        ),
    });
  }
  return cols;
}

/** Every cycle's read day, month by month: a compact view of the year; a cell opens the entry. */
function ScheduleGrid({ entries, edit, today }: { entries: ScheduleItem[]; edit: ((e: ScheduleItem) => void) | null; today: string }) {
  const cycles = [...new Set(entries.map((e) => e.cycle))].sort((a, b) => a - b);
  const months = [...new Set(entries.map((e) => e.month))].sort((a, b) => a - b);
  const at = new Map(entries.map((e) => [`${e.month}:${e.cycle}`, e]));
  return (
    <div className="table-wrap">
      <table className="table schedule-grid" data-testid="schedule-grid">
        <caption className="visually-hidden">Read day of the month of each cycle; a billed entry is locked</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            {cycles.map((c) => (
              <th key={c} scope="col" className="num">
                <button type="button" className="button-link" onClick={() => setQuery({ cycle: c })} aria-label={`Show cycle ${c}`}>{c}</button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {months.map((m) => (
            <tr key={m}>
              <th scope="row">{monthName(m).slice(0, 3)}</th>
              {cycles.map((c) => {
                const e = at.get(`${m}:${c}`);
                if (!e) return <td key={c} className="num muted">—</td>;
                const day = String(Number(e.readDate.slice(8)));
                const title = `Cycle ${c}, ${monthName(m)}: read ${e.readDate}, bill ${e.billDate}, due ${e.dueDate}${billed(e) ? ` (billed in run ${e.runId})` : ''}`;
                const cls = `num sched-cell${billed(e) ? ' sched-billed' : ''}${e.readDate === today ? ' sched-today' : ''}`;
                return (
                  <td key={c} className={cls} title={title}>
                    {edit && !billed(e) ? (
                      <button type="button" className="button-link" onClick={() => edit(e)} aria-label={`Change the dates of ${entryName(e)}: read ${e.readDate}`}>
                        {day}
                      </button>
                    ) : (
                      <span aria-label={title}>{day}{billed(e) && <span className="sched-lock" aria-hidden="true">•</span>}</span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Each cell is the day of the month a cycle is read; hover for the bill and due dates. <span className="sched-key sched-billed">12•</span> billed (locked), <span className="sched-key sched-today">12</span> read today.
      </p>
    </div>
  );
}

function GenerateDialog({ year, open, onClose, onSaved }: { year: number; open: boolean; onClose(): void; onSaved(message: string): void }) {
  const form = useSubmit(async (v) => {
    const result = await api.post<{ generated: number; kept: number }>('/billing/schedule/generate', { year, cycles: integerOrText(v.cycles), reason: v.reason });
    onSaved(`Generated ${result.generated} entries for ${year}${result.kept ? `; ${result.kept} billed entries kept their dates` : ''}.`);
  }, open);
  const { error } = form;
  return (
    <FormDialog title={`Generate the ${year} schedule`} open={open} onClose={onClose} testId="generate-schedule-dialog" form={form} submitLabel="Generate" submitTestId="save-generate-schedule">
      <p className="field-wide muted">Read days are spread over each month's business days (weekends and district holidays skipped); bills go out 2 business days after the read, due 20 days later. Entries already billed keep their dates.</p>
      <TextField label="Cycles" name="cycles" field="body.cycles" error={error} type="number" min={1} max={99} defaultValue={20} className="input-short" />
      <ReasonField error={error} required placeholder="e.g. Yearly schedule" />
    </FormDialog>
  );
}

function EditEntryDialog({ entry, onClose, onSaved }: { entry: ScheduleItem | null; onClose(): void; onSaved(message: string): void }) {
  const form = useSubmit(async (v) => {
    const e = entry!;
    const patch: Record<string, string> = {};
    if (v.readDate !== e.readDate) patch.readDate = v.readDate ?? '';
    if (v.billDate !== e.billDate) patch.billDate = v.billDate ?? '';
    if (v.dueDate !== e.dueDate) patch.dueDate = v.dueDate ?? '';
    if (Object.keys(patch).length === 0) throw new ApiError(0, 'client', 'No date was changed.');
    const saved = await api.patch<ScheduleItem>(`/billing/schedule/${e.id}`, { ...patch, reason: v.reason });
    onSaved(`Moved ${entryName(saved)}: read ${saved.readDate}, bill ${saved.billDate}, due ${saved.dueDate}.`);
  }, entry);
  const { error } = form;
  return (
    <FormDialog title={entry ? `Change the dates of ${entryName(entry)}` : 'Change the dates'} open={entry !== null} onClose={onClose} testId="edit-schedule-dialog" form={form} submitLabel="Save dates" submitTestId="save-schedule-entry">
      {entry && (
        <>
          <TextField label="Read date" name="readDate" type="date" field={['body.readDate', 'readDate']} error={error} defaultValue={entry.readDate} required autoFocus />
          <TextField label="Bill date" name="billDate" type="date" field={['body.billDate', 'billDate']} error={error} defaultValue={entry.billDate} required />
          <TextField label="Due date" name="dueDate" type="date" field={['body.dueDate', 'dueDate']} error={error} defaultValue={entry.dueDate} required />
          <p className="muted small field-wide">Every date must be a business day, in order (read, bill, due), and the read in its month.</p>
          <ReasonField error={error} required placeholder="e.g. Storm closure on the read day" />
        </>
      )}
    </FormDialog>
  );
}

/** The billing schedule of a year: read, bill and due dates per cycle and month; a supervisor generates and moves them. */
export function BillingSchedulePage() {
  const filters = useQueryFilters('year', 'cycle');
  const today = utilityToday();
  const year = /^\d{4}$/.test(filters.year) ? Number(filters.year) : Number(today.slice(0, 4));
  const cycle = filters.cycle;
  const isSupervisor = useCan('supervisor');
  const schedule = useApi(`billing-schedule:${year}`, (signal) => api.get<{ items: ScheduleItem[] }>('/billing/schedule', { year }, signal));
  const [generating, setGenerating] = useState(false);
  const [editing, setEditing] = useState<ScheduleItem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const items = schedule.data?.items ?? [];
  const shown = cycle ? items.filter((e) => String(e.cycle) === cycle) : items;
  const edit = isSupervisor ? (e: ScheduleItem) => { setDone(null); setEditing(e); } : null;
  const saved = (message: string) => {
    setGenerating(false);
    setEditing(null);
    setDone(message);
    schedule.reload();
  };

  return (
    <>
      <PageHeader
        title="Billing schedule"
        subtitle="The day each read cycle is read, billed and due, month by month. Entries already billed are locked."
        actions={
          isSupervisor && (
            <button type="button" className="button-primary" onClick={() => { setDone(null); setGenerating(true); }} data-testid="generate-schedule">
              Generate {year}
            </button>
          )
        }
      />
      <SuccessBanner message={done} testId="schedule-done" />
      <Card
        title={`${year}${cycle ? ` · cycle ${cycle}` : ''}`}
        testId="billing-schedule"
        actions={
          <>
            <button type="button" className="button-small" onClick={() => setQuery({ year: year - 1 })} aria-label={`Show ${year - 1}`}>← {year - 1}</button>
            <button type="button" className="button-small" onClick={() => setQuery({ year: year + 1 })} aria-label={`Show ${year + 1}`}>{year + 1} →</button>
          </>
        }
      >
        <FilterBar key={`${year}:${cycle}`} label="Choose the schedule">
          <TextField label="Year" name="year" type="number" min={2000} max={9998} defaultValue={year} className="input-short" required />
          <SelectField label="Cycle" name="cycle" options={cycleOptions} blank="Every cycle" defaultValue={cycle} />
        </FilterBar>
        {schedule.error ? (
          <LoadError error={schedule.error} retry={schedule.reload} />
        ) : !schedule.data ? (
          <Loading what="Loading the schedule" />
        ) : shown.length === 0 ? (
          <Empty>
            No schedule for {cycle ? `cycle ${cycle} in ` : ''}{year}.{isSupervisor && !cycle ? ' Generate it with the button above.' : ''}
          </Empty>
        ) : cycle ? (
          <DataTable columns={cycleColumns(edit)} rows={shown} testId="schedule-table" />
        ) : (
          <ScheduleGrid entries={shown} edit={edit} today={today} />
        )}
      </Card>
      <GenerateDialog year={year} open={generating} onClose={() => setGenerating(false)} onSaved={saved} />
      <EditEntryDialog entry={editing} onClose={() => setEditing(null)} onSaved={saved} />
    </>
  );
}
