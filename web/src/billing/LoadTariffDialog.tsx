import { useState } from 'react';
import { api, ApiError } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { clientError, ReasonField, TextField, useSubmit } from '../components/forms.tsx';
import type { LoadResult } from '../types.ts';

/** What a load did, in a sentence. */
function loadedMessage(r: LoadResult): string {
  const v = r.version;
  if (r.unchanged) return `${v.code} v${v.version} (effective ${v.effectiveFrom}) is already loaded with exactly this content; nothing changed.`;
  return `Loaded ${v.code} v${v.version}, effective ${v.effectiveFrom}${r.superseded ? `; it replaces v${r.superseded} of the same date` : ''}.`;
}

/**
 * Load a tariff file (JSON, docs/tariffs.md) as the next version of its code. The file is read in
 * the browser and sent as the body's `tariff`; the server's refusal names the JSON path at fault.
 */
function LoadTariffDialog({ open, onClose, onLoaded }: { open: boolean; onClose(): void; onLoaded(result: LoadResult): void }) {
  const form = useSubmit(async (v, formElement) => {
    const file = (formElement.elements.namedItem('file') as HTMLInputElement | null)?.files?.[0];
    if (!file) throw clientError('file', 'Choose the tariff file (JSON)');
    let tariff: unknown;
    try {
      tariff = JSON.parse(await file.text());
    } catch (e) {
      throw clientError('file', `${file.name} is not JSON: ${(e as Error).message}`);
    }
    if (!tariff || typeof tariff !== 'object' || Array.isArray(tariff)) throw clientError('file', `${file.name} holds no tariff object`);
    try {
      onLoaded(await api.post<LoadResult>('/tariffs', { tariff, reason: v.reason }));
    } catch (e) {
      // A refused file names the JSON path at fault (details.path): say it beside the file too.
      if (e instanceof ApiError && typeof e.details.path === 'string') throw new ApiError(e.status, e.code, e.message, { ...e.details, field: 'body.tariff' });
      throw e;
    }
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Load a tariff file" open={open} onClose={onClose} testId="load-tariff-dialog" form={form} submitLabel="Load tariff" submitTestId="save-load-tariff">
      <p className="field-wide muted">
        A tariff file is one version of a rate schedule (docs/tariffs.md). It becomes the next version of its code, in force from its effective date. Loading the same file again changes nothing.
      </p>
      <TextField label="Tariff file" name="file" type="file" accept=".json,application/json" field={['file', 'body.tariff']} error={error} required wide hint="JSON, e.g. RES-E.json" />
      <ReasonField error={error} required placeholder="e.g. Rate case 2027 approved by the board" />
    </FormDialog>
  );
}

/**
 * "Load tariff file" with its dialog, for the rates pages (a supervisor's: the page decides whether
 * to show it). `onOpen` runs as the dialog opens; `onLoaded` gets what the load did, in a sentence.
 */
export function LoadTariffButton({ onOpen, onLoaded }: { onOpen(): void; onLoaded(message: string): void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button-primary" onClick={() => { onOpen(); setOpen(true); }} data-testid="load-tariff">
        Load tariff file
      </button>
      <LoadTariffDialog
        open={open}
        onClose={() => setOpen(false)}
        onLoaded={(result) => {
          setOpen(false);
          onLoaded(loadedMessage(result));
        }}
      />
    </>
  );
}
