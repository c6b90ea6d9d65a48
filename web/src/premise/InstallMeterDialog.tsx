import { useEffect, useId, useState } from 'react';
import { api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { clientError, ReasonField, TextField, useSubmit } from '../components/forms.tsx';
import { utilityToday } from '../format.ts';
import { useApi, useDebounced } from '../hooks.ts';
import type { Meter, Page, ServicePoint } from '../types.ts';

const noMatches: Page<Meter> = { items: [], next: null };

/**
 * Set a meter from stock at an electric or water service point. Staff type the first characters of
 * the serial and choose among the meters in stock of the point's kind.
 */
export function InstallMeterDialog({ point, onClose, onSaved }: { point: ServicePoint | null; onClose(): void; onSaved(): void }) {
  const [prefix, setPrefix] = useState('');
  const [chosen, setChosen] = useState<number | null>(null);
  useEffect(() => {
    setPrefix('');
    setChosen(null);
  }, [point]);
  const serial = useDebounced(prefix.trim(), 150);
  const kind = point?.service;
  const search = useApi(`meters-in-stock:${kind}:${serial}`, (signal) => (serial && kind ? api.get<Page<Meter>>('/meters', { serial, kind, status: 'in_stock', limit: 20 }, signal) : Promise.resolve(noMatches)));
  const meters = search.data?.items ?? [];
  const only = meters.length === 1 ? meters[0]!.id : null;
  useEffect(() => {
    if (only !== null) setChosen(only);
  }, [only]);

  const form = useSubmit(async (v) => {
    const meterId = Number(v.meterId);
    if (!v.meterId || !meters.some((m) => m.id === meterId)) throw clientError('meterId', 'Choose a meter from the list');
    await api.post(`/meters/${meterId}/install`, { servicePointId: point!.id, installedOn: v.installedOn, reason: v.reason });
    onSaved();
  }, point);
  const { error } = form;
  const listId = useId();
  const pickInvalid = error?.field === 'meterId';

  return (
    <FormDialog
      title={point ? `Install a meter at ${point.service} point ${point.id}` : 'Install a meter'}
      open={point !== null}
      onClose={onClose}
      testId="install-meter-dialog"
      form={form}
      submitLabel="Install meter"
      submitTestId="save-install-meter"
    >
      <TextField
        label="Meter serial"
        name="serialPrefix"
        value={prefix}
        onChange={(e) => setPrefix(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        className="mono"
        hint="The start of the serial is enough"
        autoFocus
      />
      <TextField label="Installed on" name="installedOn" field="body.installedOn" error={error} type="date" required defaultValue={utilityToday()} />
      <fieldset className={`meter-choices field-wide${pickInvalid ? ' field-invalid' : ''}`} aria-describedby={pickInvalid ? `${listId}-msg` : undefined} data-testid="meter-choices">
        <legend>Meter in stock</legend>
        <div role="status" aria-live="polite" className="meter-choices-status">
          {!serial ? (
            <span className="muted">Type part of the serial to list the meters.</span>
          ) : search.error ? (
            <span className="field-message">{search.error.message}</span>
          ) : search.loading && meters.length === 0 ? (
            <span className="muted">Looking…</span>
          ) : meters.length === 0 ? (
            <span className="muted">No {point?.service} meter in stock has a serial starting with “{serial.toUpperCase()}”.</span>
          ) : (
            <span className="muted">{meters.length === 1 ? '1 meter' : `${meters.length} meters`}{search.data && search.data.next !== null ? '; more match: type more of the serial' : ''}</span>
          )}
        </div>
        {meters.length > 0 && (
          <ul className="plain-list meter-choice-list">
            {meters.map((m) => (
              <li key={m.id}>
                <label className="meter-choice">
                  <input type="radio" name="meterId" value={m.id} checked={chosen === m.id} onChange={() => setChosen(m.id)} />
                  <span className="mono">{m.serial}</span>
                  <span className="muted">
                    {[m.manufacturer, m.model].filter(Boolean).join(' ') || 'make not recorded'} · {m.dials} dials · × {m.multiplier}{m.size ? ` · ${m.size}` : ''}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
        {pickInvalid && (
          <span className="field-message" id={`${listId}-msg`}>
            {error.message}
          </span>
        )}
      </fieldset>
      <ReasonField error={error} required placeholder="e.g. New service" />
    </FormDialog>
  );
}
