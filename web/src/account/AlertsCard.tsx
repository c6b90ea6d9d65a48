import { useState } from 'react';
import { api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { optional, ReasonField, SelectField, TextAreaField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Empty } from '../components/ui.tsx';
import { formatTimestamp, humanize } from '../format.ts';
import { useCan } from '../session.tsx';
import { alertKinds, type Alert } from '../types.ts';

/** Alerts in force today, across the top of the account page where no one can miss them. */
export function ActiveAlertsStrip({ alerts }: { alerts: Alert[] }) {
  const active = alerts.filter((a) => a.active);
  if (active.length === 0) return null;
  return (
    <ul className="alert-strip" aria-label="Alerts in force" data-testid="active-alerts">
      {active.map((a) => (
        <li key={a.id} className="alert-pill">
          <strong>{humanize(a.kind)}</strong>
          {a.note && <span> · {a.note}</span>}
          {a.endsOn && <span className="muted"> · until {a.endsOn}</span>}
        </li>
      ))}
    </ul>
  );
}

function alertState(a: Alert): string {
  if (a.active) return 'In force';
  if (a.clearedAt) return 'Cleared';
  return 'Not in force';
}

export function AlertsCard({ accountId, alerts, onChange }: { accountId: number; alerts: Alert[]; onChange(): void }) {
  const canAdd = useCan('csr1');
  const canClear = useCan('csr2');
  const [adding, setAdding] = useState(false);
  const [clearing, setClearing] = useState<Alert | null>(null);
  const active = alerts.filter((a) => a.active);
  const other = alerts.filter((a) => !a.active);

  return (
    <Card
      title="Alerts"
      testId="alerts-card"
      actions={canAdd && <button type="button" className="button-small" onClick={() => setAdding(true)} data-testid="add-alert">Add alert</button>}
    >
      {active.length === 0 && <Empty>No alerts in force.</Empty>}
      <ul className="alert-list">
        {active.map((a) => (
          <li key={a.id} className="alert-item alert-active">
            <div>
              <strong>{humanize(a.kind)}</strong>
              {a.note && <div className="alert-note">{a.note}</div>}
              <div className="muted small">{a.endsOn ? `${a.startsOn} to ${a.endsOn}` : `Since ${a.startsOn}, until cleared`}</div>
            </div>
            {canClear && (
              <button type="button" className="button-small button-quiet" onClick={() => setClearing(a)} aria-label={`Clear ${humanize(a.kind)} alert`}>
                Clear
              </button>
            )}
          </li>
        ))}
      </ul>
      {other.length > 0 && (
        <details className="alert-older">
          <summary>{other.length} cleared, ended or future</summary>
          <ul className="alert-list">
            {other.map((a) => (
              <li key={a.id} className="alert-item">
                <div>
                  <span>{humanize(a.kind)}</span> <span className="muted">{alertState(a)} · {a.startsOn}{a.endsOn ? ` to ${a.endsOn}` : ''}</span>
                  {a.clearedAt && <div className="alert-note">Cleared {formatTimestamp(a.clearedAt)}: {a.clearReason}</div>}
                </div>
              </li>
            ))}
          </ul>
        </details>
      )}
      <AddAlertDialog accountId={accountId} open={adding} onClose={() => setAdding(false)} onSaved={() => { setAdding(false); onChange(); }} />
      <ClearAlertDialog accountId={accountId} alert={clearing} onClose={() => setClearing(null)} onSaved={() => { setClearing(null); onChange(); }} />
    </Card>
  );
}

function AddAlertDialog({ accountId, open, onClose, onSaved }: { accountId: number; open: boolean; onClose(): void; onSaved(): void }) {
  const form = useSubmit(async (v) => {
    await api.post(`/accounts/${accountId}/alerts`, {
      kind: v.kind,
      note: optional(v.note),
      startsOn: optional(v.startsOn),
      endsOn: optional(v.endsOn),
      reason: optional(v.reason),
    });
    onSaved();
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Add an alert" open={open} onClose={onClose} testId="add-alert-dialog" form={form} submitLabel="Add alert">
      <SelectField label="Kind" name="kind" field="body.kind" error={error} options={alertKinds} required />
      <TextField label="Starts on" name="startsOn" type="date" field="body.startsOn" error={error} hint="Blank: today" />
      <TextField label="Ends on" name="endsOn" type="date" field="body.endsOn" error={error} hint="Blank: until cleared" />
      <TextAreaField label="Note" name="note" field="body.note" error={error} maxLength={500} wide />
      <ReasonField error={error} />
    </FormDialog>
  );
}

function ClearAlertDialog({ accountId, alert, onClose, onSaved }: { accountId: number; alert: Alert | null; onClose(): void; onSaved(): void }) {
  const form = useSubmit(async (v) => {
    await api.post(`/accounts/${accountId}/alerts/${alert!.id}/clear`, { reason: v.reason });
    onSaved();
  }, alert);
  return (
    <FormDialog title={alert ? `Clear the ${humanize(alert.kind).toLowerCase()} alert` : 'Clear alert'} open={alert !== null} onClose={onClose} testId="clear-alert-dialog" form={form} submitLabel="Clear alert">
      <ReasonField error={form.error} required autoFocus />
    </FormDialog>
  );
}
