import { useState } from 'react';
import { api } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { FilterBar } from '../components/FilterBar.tsx';
import { ErrorMessage, optional, ReasonField, SelectField, TextAreaField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { utilityToday } from '../format.ts';
import { useApi, useQueryFilters } from '../hooks.ts';
import { useCan } from '../session.tsx';
import type { HeatAlert, HeatArea } from '../types.ts';

const SOURCES = ['NWS Heat Advisory', 'NWS Excessive Heat Warning', 'NWS Excessive Heat Watch', 'Chelan-Douglas Health District heat alert'];

/** Where an alert stands today: in force, to come, over, ended early. */
function AlertState({ h, today }: { h: HeatAlert; today: string }) {
  if (h.fromDate <= today && today <= h.lastDay) return <span className="badge badge-bad" data-testid="heat-state">In force today</span>;
  if (h.endedOn && h.lastDay < h.fromDate) return <span className="badge badge-muted" data-testid="heat-state">Called off</span>;
  if (today < h.fromDate) return <span className="badge badge-info" data-testid="heat-state">Coming</span>;
  return <span className="badge badge-muted" data-testid="heat-state">{h.endedOn ? `Ended early ${h.endedOn}` : 'Over'}</span>;
}

const days = (from: string, to: string) => (to < from ? 0 : Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1);

/** A new alert for an area: its days, who declared it, a note. */
function AddAlertCard({ areas, onAdded }: { areas: HeatArea[]; onAdded(h: HeatAlert): void }) {
  const today = utilityToday();
  const form = useSubmit(async (v, el) => {
    const h = await api.post<HeatAlert>('/heat-alerts', { area: v.area ?? '', fromDate: v.fromDate ?? '', toDate: v.toDate ?? '', source: v.source ?? '', note: optional(v.note), reason: v.reason ?? '' });
    el.reset();
    onAdded(h);
  });
  const { error } = form;
  return (
    <Card title="Enter an alert" testId="add-heat-alert">
      <form onSubmit={form.onSubmit} className="form-grid" noValidate data-testid="heat-alert-form">
        <ErrorMessage error={error} />
        <SelectField label="Area" name="area" field={['body.area', 'area']} error={error} options={areas.map((a) => ({ value: a.area, label: `${a.area} (${a.premises} premises)` }))} blank="Choose the area" required />
        <TextField label="First day" name="fromDate" type="date" field={['body.fromDate', 'fromDate']} error={error} defaultValue={today} required />
        <TextField label="Last day" name="toDate" type="date" field={['body.toDate', 'toDate']} error={error} defaultValue={today} required />
        <TextField label="Declared by" name="source" field={['body.source', 'source']} error={error} list="heat-sources" required placeholder="e.g. NWS Heat Advisory" />
        <datalist id="heat-sources">{SOURCES.map((s) => <option key={s} value={s} />)}</datalist>
        <TextAreaField label="Note" name="note" field={['body.note', 'note']} error={error} wide hint="Optional" />
        <ReasonField error={error} required placeholder="e.g. Advisory issued for the Wenatchee valley" />
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={form.busy} data-testid="save-heat-alert">Enter the alert</button>
        </div>
      </form>
    </Card>
  );
}

function EndAlertDialog({ alert, onClose, onSaved }: { alert: HeatAlert | null; onClose(): void; onSaved(h: HeatAlert): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<HeatAlert>(`/heat-alerts/${alert!.id}/end`, { endedOn: v.endedOn || undefined, reason: v.reason ?? '' }));
  }, alert);
  const { error } = form;
  return (
    <FormDialog title={alert ? `End the ${alert.area} alert early` : 'End an alert'} open={alert !== null} onClose={onClose} testId="end-heat-alert-dialog" form={form} submitLabel="End the alert" submitTestId="save-end-heat-alert">
      {alert && <p className="field-wide">{alert.source}, {alert.fromDate} to {alert.lastDay}. It is no longer in force from the day given: disconnections in {alert.area} may resume then.</p>}
      <TextField label="Not in force from" name="endedOn" type="date" field={['body.endedOn', 'endedOn']} error={error} defaultValue={utilityToday()} required />
      <ReasonField error={error} required autoFocus placeholder="e.g. Advisory cancelled: temperatures dropped" />
    </FormDialog>
  );
}

/**
 * The extreme-heat alert calendar, per area: on any day an alert is in force for a premise's area,
 * residential service there is not disconnected for non-payment (and is reconnected on request).
 * Alerts are listed for a range of days (this year by default) by area; a CSR II enters them and
 * ends them early.
 */
export function HeatAlertsPage() {
  const filters = useQueryFilters('area', 'from', 'to');
  const today = utilityToday();
  const from = filters.from || `${today.slice(0, 4)}-01-01`;
  const to = filters.to || `${today.slice(0, 4)}-12-31`;
  const canEnter = useCan('csr2');
  const [generation, setGeneration] = useState(0);
  const alerts = useApi(`heat-alerts:${filters.area}:${from}:${to}:${generation}`, (signal) => api.get<{ items: HeatAlert[] }>('/heat-alerts', { area: filters.area, from, to }, signal));
  const areas = useApi('heat-areas', (signal) => api.get<{ items: HeatArea[] }>('/heat-alerts/areas', undefined, signal));
  const [ending, setEnding] = useState<HeatAlert | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const items = alerts.data?.items ?? [];
  const byArea = [...new Set(items.map((h) => h.area))].sort();

  const columns: Column<HeatAlert>[] = [
    { header: 'Days', className: 'nowrap', cell: (h) => <span data-testid="heat-days">{h.fromDate} to {h.lastDay}</span> },
    { header: 'Length', className: 'num nowrap', cell: (h) => `${days(h.fromDate, h.lastDay)} day${days(h.fromDate, h.lastDay) === 1 ? '' : 's'}` },
    { header: 'Declared by', cell: (h) => <span data-testid="heat-source">{h.source}</span> },
    { header: 'Note', cell: (h) => h.note ?? <span className="muted">—</span> },
    { header: 'Status', cell: (h) => <AlertState h={h} today={today} /> },
    {
      header: <span className="visually-hidden">Actions</span>, className: 'actions-cell',
      cell: (h) => canEnter && !h.endedOn && h.toDate >= today && <button type="button" className="button-small" onClick={() => { setDone(null); setEnding(h); }} data-testid="end-heat-alert" aria-label={`End the ${h.area} alert of ${h.fromDate} early`}>End early</button>,
    },
  ];

  return (
    <>
      <PageHeader title="Heat alerts" subtitle="On any day an extreme-heat alert is in force for an area, residential service there is not disconnected for non-payment, and is reconnected on request. Every disconnect notice says how to ask." />
      <SuccessBanner message={done} testId="heat-alert-done" />
      {canEnter && areas.data && <AddAlertCard areas={areas.data.items} onAdded={(h) => { setDone(`Heat alert entered for ${h.area}, ${h.fromDate} to ${h.lastDay}: no residential disconnections there on those days.`); setGeneration((g) => g + 1); }} />}
      <Card title="The calendar" testId="heat-calendar">
        <FilterBar key={`${filters.area}:${from}:${to}`} label="Choose the alerts">
          <SelectField label="Area" name="area" options={(areas.data?.items ?? []).map((a) => a.area)} blank="Every area" defaultValue={filters.area} />
          <TextField label="From" name="from" type="date" defaultValue={from} />
          <TextField label="To" name="to" type="date" defaultValue={to} />
        </FilterBar>
        {alerts.error ? (
          <LoadError error={alerts.error} retry={alerts.reload} />
        ) : !alerts.data ? (
          <Loading what="Loading the alerts" />
        ) : items.length === 0 ? (
          <Empty>No heat alerts {filters.area ? `in ${filters.area} ` : ''}from {from} to {to}.</Empty>
        ) : (
          byArea.map((area) => (
            <section key={area} data-testid="heat-area" data-area={area}>
              <h3 className="subheading">{area}: {items.filter((h) => h.area === area).reduce((n, h) => n + days(h.fromDate, h.lastDay), 0)} alert day(s)</h3>
              <DataTable columns={columns} rows={items.filter((h) => h.area === area)} testId="heat-alerts-table" />
            </section>
          ))
        )}
      </Card>
      {canEnter && <EndAlertDialog alert={ending} onClose={() => setEnding(null)} onSaved={(h) => { setEnding(null); setDone(`The ${h.area} alert is ended: its last day is ${h.lastDay}.`); setGeneration((g) => g + 1); }} />}
    </>
  );
}
