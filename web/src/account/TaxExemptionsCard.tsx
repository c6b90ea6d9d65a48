import { useId, useState } from 'react';
import { api } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { optional, ReasonField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, SuccessBanner } from '../components/ui.tsx';
import { utilityToday } from '../format.ts';
import { useApi } from '../hooks.ts';
import { useCan } from '../session.tsx';
import type { StoredTariffVersion, TaxExemption } from '../types.ts';

/** Where an exemption stands on `today`: the billing run leaves the tax off while it holds (both ends inclusive). */
function exemptionState(e: TaxExemption, today: string): 'in_force' | 'future' | 'ended' {
  if (e.startsOn > today) return 'future';
  if (e.endsOn !== null && e.endsOn < today) return 'ended';
  return 'in_force';
}

const stateBadge = { in_force: ['badge-good', 'In force'], future: ['badge-info', 'Future'], ended: ['badge-muted', 'Ended'] } as const;

/**
 * The account's tax exemptions: which tariff tax (PUT, PRIV, ...) its bills leave off, on what
 * certificate, from when to when, and why. A supervisor adds one, and ends one that is not over;
 * `onChange` runs after either (the page's recent activity has it).
 */
export function TaxExemptionsCard({ accountId, onChange }: { accountId: number; onChange?(): void }) {
  const canManage = useCan('supervisor');
  const exemptions = useApi(`tax-exemptions:${accountId}`, (signal) => api.get<{ items: TaxExemption[] }>(`/accounts/${accountId}/tax-exemptions`, undefined, signal));
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<TaxExemption | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const today = utilityToday();
  const items = exemptions.data?.items ?? [];

  const columns: Column<TaxExemption>[] = [
    { header: 'Tax', className: 'nowrap', cell: (e) => <strong className="mono" data-testid="exemption-tax">{e.taxCode}</strong> },
    { header: 'Certificate', cell: (e) => (e.certificate ? <span className="mono">{e.certificate}</span> : <span className="muted">None</span>) },
    { header: 'Period', className: 'nowrap', cell: (e) => <span data-testid="exemption-period">{e.startsOn} to {e.endsOn ?? 'open'}</span> },
    {
      header: 'State',
      cell: (e) => {
        const [tone, label] = stateBadge[exemptionState(e, today)];
        return <span className={`badge ${tone}`} data-testid="exemption-state">{label}</span>;
      },
    },
    { header: 'Reason', cell: (e) => e.reason },
  ];
  if (canManage) {
    columns.push({
      header: <span className="visually-hidden">Actions</span>,
      className: 'nowrap',
      cell: (e) =>
        exemptionState(e, today) !== 'ended' && (
          <div className="row-actions">
            <button type="button" className="button-small" onClick={() => { setDone(null); setEnding(e); }} aria-label={`End the ${e.taxCode} exemption from ${e.startsOn}`} data-testid="end-exemption">
              End
            </button>
          </div>
        ),
    });
  }

  return (
    <Card
      title="Tax exemptions"
      testId="tax-exemptions-card"
      actions={
        canManage && (
          <button type="button" className="button-small" onClick={() => { setDone(null); setAdding(true); }} data-testid="add-exemption">
            Add exemption
          </button>
        )
      }
    >
      <SuccessBanner message={done} testId="exemption-done" className="small" />
      {exemptions.error ? (
        <LoadError error={exemptions.error} retry={exemptions.reload} />
      ) : !exemptions.data ? (
        <Loading what="Loading the tax exemptions" />
      ) : items.length === 0 ? (
        <Empty>No tax exemptions: every tax of the account's rates is billed.</Empty>
      ) : (
        <DataTable columns={columns} rows={items} testId="tax-exemptions-table" />
      )}
      {canManage && (
        <>
          <AddExemptionDialog
            accountId={accountId}
            open={adding}
            onClose={() => setAdding(false)}
            onSaved={(e) => {
              setAdding(false);
              setDone(`${e.taxCode} exemption added, from ${e.startsOn}${e.endsOn ? ` to ${e.endsOn}` : ''}.`);
              exemptions.reload();
              onChange?.();
            }}
          />
          <EndExemptionDialog
            exemption={ending}
            onClose={() => setEnding(null)}
            onSaved={(e) => {
              setEnding(null);
              setDone(`${e.taxCode} exemption ends on ${e.endsOn}.`);
              exemptions.reload();
              onChange?.();
            }}
          />
        </>
      )}
    </Card>
  );
}

/** The tax codes of the loaded rates, offered as the tax code is typed (mounted only while the dialog is open). */
function TaxCodeOptions({ id }: { id: string }) {
  const tariffs = useApi('tariffs', (signal) => api.get<{ items: StoredTariffVersion[] }>('/tariffs', undefined, signal));
  const taxes = new Map<string, string>();
  for (const v of tariffs.data?.items ?? []) if (!v.superseded) for (const t of v.tariff.taxes ?? []) if (!taxes.has(t.code)) taxes.set(t.code, t.description);
  return (
    <datalist id={id}>
      {[...taxes].sort(([a], [b]) => a.localeCompare(b)).map(([code, description]) => <option key={code} value={code}>{description}</option>)}
    </datalist>
  );
}

function AddExemptionDialog({ accountId, open, onClose, onSaved }: { accountId: number; open: boolean; onClose(): void; onSaved(e: TaxExemption): void }) {
  const listId = useId();
  const form = useSubmit(async (v) => {
    const created = await api.post<TaxExemption>(`/accounts/${accountId}/tax-exemptions`, {
      taxCode: (v.taxCode ?? '').toUpperCase(),
      certificate: optional(v.certificate),
      startsOn: v.startsOn ?? '',
      endsOn: optional(v.endsOn),
      reason: v.reason ?? '',
    });
    onSaved(created);
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Add a tax exemption" open={open} onClose={onClose} testId="add-exemption-dialog" form={form} submitLabel="Add exemption" submitTestId="save-exemption">
      <TextField label="Tax code" name="taxCode" field="body.taxCode" error={error} required autoFocus autoComplete="off" className="mono" list={listId} maxLength={20} hint="A tax code of the rates, e.g. PUT or PRIV" />
      <TaxCodeOptions id={listId} />
      <TextField label="Certificate" name="certificate" field="body.certificate" error={error} autoComplete="off" maxLength={100} hint="Optional: the exemption certificate's number" />
      <TextField label="From" name="startsOn" type="date" field="body.startsOn" error={error} required defaultValue={utilityToday()} />
      <TextField label="To" name="endsOn" type="date" field={['body.endsOn', 'endsOn']} error={error} hint="Blank: open, until ended" />
      <ReasonField error={error} required placeholder="e.g. Certificate on file; nonprofit housing" />
    </FormDialog>
  );
}

function EndExemptionDialog({ exemption, onClose, onSaved }: { exemption: TaxExemption | null; onClose(): void; onSaved(e: TaxExemption): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<TaxExemption>(`/tax-exemptions/${exemption!.id}/end`, { endsOn: v.endsOn ?? '', reason: v.reason ?? '' }));
  }, exemption);
  const { error } = form;
  return (
    <FormDialog title={exemption ? `End the ${exemption.taxCode} exemption` : 'End the exemption'} open={exemption !== null} onClose={onClose} testId="end-exemption-dialog" form={form} submitLabel="End exemption" submitTestId="save-end-exemption">
      <TextField label="Last day" name="endsOn" type="date" field={['body.endsOn', 'endsOn']} error={error} required defaultValue={utilityToday()} hint={exemption ? `The tax is left off through this day; from ${exemption.startsOn} at the earliest` : undefined} />
      <ReasonField error={error} required autoFocus placeholder="e.g. Certificate expired" />
    </FormDialog>
  );
}
