import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { clientError, namesField, optional, ReasonField, TextField, useSubmit } from '../components/forms.tsx';
import { PremisePicker } from '../components/PremisePicker.tsx';
import { addressLine, humanize, utilityToday } from '../format.ts';
import { useApi } from '../hooks.ts';
import type { AccountService, Premise, PremiseDetail, ServiceOrder } from '../types.ts';

/**
 * Transfer of service: the account's service stops at its old service points and starts at the
 * new premise's, as one group of move-out and move-in orders (POST /service-orders/transfer).
 */
export function TransferDialog({ accountId, services, open, onClose, onSaved }: { accountId: number; services: AccountService[]; open: boolean; onClose(): void; onSaved(orders: ServiceOrder[]): void }) {
  const today = utilityToday();
  const current = services.filter((s) => s.agreement.endDate === null || s.agreement.endDate > today);
  const [premise, setPremise] = useState<Premise | null>(null);
  const [starting, setStarting] = useState<number[]>([]);
  useEffect(() => {
    if (!open) {
      setPremise(null);
      setStarting([]);
    }
  }, [open]);
  const detail = useApi(`transfer-premise:${premise?.id ?? ''}`, (signal) => (premise ? api.get<PremiseDetail>(`/premises/${premise.id}`, undefined, signal) : Promise.resolve(null)));
  const points = detail.data?.servicePoints ?? [];
  // Every service point of the new premise starts, unless staff untick it.
  useEffect(() => setStarting((detail.data?.servicePoints ?? []).map((p) => p.id)), [detail.data]);

  const form = useSubmit(async (v, formElement) => {
    const data = new FormData(formElement);
    const stop = data.getAll('stop').map((id) => ({ servicePointId: Number(id) }));
    if (!premise && stop.length === 0) throw clientError('premiseId', 'Choose the premise the service moves to');
    const start = starting.map((id) => ({ servicePointId: id, rateCode: String(data.get(`rate-${id}`) ?? '').trim().toUpperCase() }));
    const result = await api.post<{ orders: ServiceOrder[] }>('/service-orders/transfer', {
      accountId,
      effectiveDate: v.effectiveDate,
      scheduledFor: optional(v.scheduledFor),
      stop,
      start,
      reason: v.reason,
    });
    onSaved(result.orders);
  }, open);
  const { error } = form;
  /** The rate the account has now for a service: the likely rate at the new premise too. */
  const rateFor = (service: string) =>
    (current.find((s) => s.servicePoint.service === service) ?? [...services].reverse().find((s) => s.servicePoint.service === service))?.agreement.rateCode ?? '';

  return (
    <FormDialog title="Transfer service to a new premise" open={open} onClose={onClose} testId="transfer-dialog" form={form} submitLabel="Make transfer orders" submitTestId="save-transfer">
      <TextField label="Effective date" name="effectiveDate" field="body.effectiveDate" error={error} type="date" required defaultValue={today} hint="Last day at the old premise, first at the new" />
      <TextField label="Scheduled for" name="scheduledFor" field="body.scheduledFor" error={error} type="date" hint="Blank: schedule later" />
      <fieldset className={`check-list${namesField(error, 'body.stop') ? ' field-invalid' : ''}`}>
        <legend>Stop service at</legend>
        {current.length === 0 ? (
          <p className="muted">The account has no service in force to stop.</p>
        ) : (
          current.map((s) => (
            <label key={s.agreement.id} className="check-row">
              <input type="checkbox" name="stop" value={s.servicePoint.id} defaultChecked />
              <span>
                <span className={`service-tag service-${s.servicePoint.service}`}>{humanize(s.servicePoint.service)}</span> {addressLine(s.premise.address)}{' '}
                <span className="muted">point {s.servicePoint.id} · <span className="mono">{s.agreement.rateCode}</span></span>
              </span>
            </label>
          ))
        )}
      </fieldset>
      <PremisePicker value={premise} onChange={setPremise} error={error} label="New premise address" />
      {premise && (
        <fieldset className={`check-list${namesField(error, 'body.start') ? ' field-invalid' : ''}`} data-testid="transfer-start">
          <legend>Start service at {addressLine(premise.address)}</legend>
          {detail.loading && !detail.data ? (
            <p className="muted">Loading its service points…</p>
          ) : points.length === 0 ? (
            <p className="muted">The premise has no service points.</p>
          ) : (
            points.map((p) => {
              const index = starting.indexOf(p.id);
              const inUse = p.agreements.find((a) => a.endDate === null || a.endDate >= today);
              return (
                <div key={p.id} className="start-row">
                  <label className="check-row">
                    <input type="checkbox" checked={index >= 0} onChange={(e) => setStarting((ids) => (e.target.checked ? [...ids, p.id] : ids.filter((id) => id !== p.id)))} />
                    <span>
                      <span className={`service-tag service-${p.service}`}>{humanize(p.service)}</span> point {p.id}
                      <span className="muted"> · {p.meter ? `meter ${p.meter.serial}` : p.service === 'fiber' ? 'not metered' : 'no meter'}</span>
                      {inUse && <span className="field-hint"> · account {inUse.accountId} has service here to {inUse.endDate ?? 'open'}</span>}
                    </span>
                  </label>
                  {index >= 0 && (
                    <TextField
                      label={`Rate code, ${p.service} point ${p.id}`}
                      name={`rate-${p.id}`}
                      field={`body.start.${index}`}
                      error={error}
                      required
                      maxLength={20}
                      className="mono"
                      autoComplete="off"
                      defaultValue={rateFor(p.service)}
                    />
                  )}
                </div>
              );
            })
          )}
        </fieldset>
      )}
      <ReasonField error={error} required placeholder="e.g. Customer moving within the district" />
    </FormDialog>
  );
}
