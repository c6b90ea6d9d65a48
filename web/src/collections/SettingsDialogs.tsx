import { api } from '../api.ts';
import { parseDollars } from '../billing/money.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { CheckboxField, clientError, integerOrText, namesField, ReasonField, TextAreaField, TextField, useSubmit } from '../components/forms.tsx';
import { formatCents, humanize } from '../format.ts';
import { customerClasses, type CollectionsSettings, type CollectionStep } from '../types.ts';
import { stepActionLabel, stepDay } from './labels.tsx';

/** Cents as the dollars an input shows (`$1,234.50` -> `1234.50`). */
export const dollarsText = (cents: number) => formatCents(cents).replace(/[$,]/g, '');

/** Dollars typed into `name` as cents, or the field's message. */
function dollars(values: Record<string, string>, name: string, field: string): number {
  const cents = parseDollars(values[name] ?? '');
  if (cents === null) throw clientError(field, 'Write the amount in dollars and cents, e.g. 25.00');
  return cents;
}

/** A percent as stored (`1.000`) as people write it (`1`, `1.5`). */
export const percentText = (percent: string) => (percent.includes('.') ? percent.replace(/0+$/, '').replace(/\.$/, '') : percent);

/** The fee of a step, in words. */
export function stepFeeText(fee: CollectionStep['fee']): string {
  if (!fee) return '';
  const min = fee.minBalanceCents > 0 ? ` (none below ${formatCents(fee.minBalanceCents)} past due)` : '';
  return fee.kind === 'flat' ? `${formatCents(fee.cents)}${min}` : `${percentText(fee.percent)}% of the past-due amount${min}`;
}

/**
 * A supervisor changes a step of the path: its day, the past-due amount and customer classes it
 * applies to, its fee, on or off; with a reason for the audit trail.
 */
export function StepDialog({ step, onClose, onSaved }: { step: CollectionStep | null; onClose(): void; onSaved(s: CollectionStep): void }) {
  const form = useSubmit(async (v, el) => {
    const s = step!;
    const classes = new FormData(el).getAll('classes').map(String);
    const body: Record<string, unknown> = {
      days: integerOrText(v.days),
      minPastDueCents: dollars(v, 'minPastDue', 'body.minPastDueCents'),
      customerClasses: classes.length === 0 || classes.length === customerClasses.length ? null : classes,
      active: v.active === 'on',
      reason: v.reason ?? '',
    };
    if (s.fee?.kind === 'flat') body.feeCents = dollars(v, 'fee', 'body.feeCents');
    if (s.fee?.kind === 'percent') body.feePercent = v.feePercent ?? '';
    if (s.fee) body.feeMinBalanceCents = dollars(v, 'feeMinBalance', 'body.feeMinBalanceCents');
    onSaved(await api.patch<CollectionStep>(`/collections/steps/${encodeURIComponent(s.code)}`, body));
  }, step);
  const { error } = form;
  const s = step;
  return (
    <FormDialog title={s ? `Change the step "${s.label}"` : 'Change a step'} open={s !== null} onClose={onClose} testId="step-dialog" form={form} submitLabel="Save step" submitTestId="save-step">
      {s && (
        <>
          <p className="field-wide muted">
            {stepActionLabel(s.action)}, {stepDay(s)}. The next run follows the change; what was done stays done.
          </p>
          <TextField label={`Days (${s.dayKind === 'business' ? 'business' : 'calendar'})`} name="days" type="number" min={0} max={120} field={['body.days', 'days']} error={error} defaultValue={s.days} required className="input-short" hint={`Now: ${stepDay(s)}`} />
          <TextField label="Only from a past-due amount of ($)" name="minPastDue" inputMode="decimal" field={['body.minPastDueCents', 'minPastDueCents']} error={error} defaultValue={dollarsText(s.minPastDueCents)} className="mono" required />
          <fieldset className={`check-list${namesField(error, ['body.customerClasses', 'customerClasses']) ? ' field-invalid' : ''}`} data-testid="step-classes">
            <legend>Customer classes</legend>
            {customerClasses.map((c) => (
              <label key={c} className="check-row">
                <input type="checkbox" name="classes" value={c} defaultChecked={s.customerClasses === null || s.customerClasses.includes(c)} />
                <span>{humanize(c)}</span>
              </label>
            ))}
            <span className="field-hint">Every class ticked (or none): the step applies to every class.</span>
          </fieldset>
          {s.fee?.kind === 'flat' && <TextField label="Fee ($)" name="fee" inputMode="decimal" field={['body.feeCents', 'feeCents']} error={error} defaultValue={dollarsText(s.fee.cents)} className="mono" required />}
          {s.fee?.kind === 'percent' && <TextField label="Fee (% of the past-due amount)" name="feePercent" inputMode="decimal" field={['body.feePercent', 'feePercent']} error={error} defaultValue={percentText(s.fee.percent)} className="mono" required />}
          {s.fee && <TextField label="No fee below a past-due amount of ($)" name="feeMinBalance" inputMode="decimal" field={['body.feeMinBalanceCents', 'feeMinBalanceCents']} error={error} defaultValue={dollarsText(s.fee.minBalanceCents)} className="mono" required />}
          <CheckboxField label="Step in use" name="active" defaultChecked={s.active} wide />
          <ReasonField error={error} required autoFocus placeholder="e.g. Board resolution 2026-14: late fee from 5 business days" />
        </>
      )}
    </FormDialog>
  );
}

/**
 * A supervisor changes the collections settings: the minimum past-due amount, the reconnection
 * fees, the home state and business hours, the assistance text of the notices, and the notice
 * periods (the server refuses periods below the law and says so).
 */
export function SettingsDialog({ settings, open, onClose, onSaved }: { settings: CollectionsSettings; open: boolean; onClose(): void; onSaved(s: CollectionsSettings): void }) {
  const form = useSubmit(async (v) => {
    onSaved(
      await api.patch<CollectionsSettings>('/collections/settings', {
        minimumPastDueCents: dollars(v, 'minimumPastDue', 'body.minimumPastDueCents'),
        reconnectFeeCents: dollars(v, 'reconnectFee', 'body.reconnectFeeCents'),
        afterHoursFeeCents: dollars(v, 'afterHoursFee', 'body.afterHoursFeeCents'),
        homeState: (v.homeState ?? '').toUpperCase(),
        businessHoursFrom: v.businessHoursFrom ?? '',
        businessHoursTo: v.businessHoursTo ?? '',
        assistanceText: v.assistanceText ?? '',
        lateFeeBusinessDays: integerOrText(v.lateFeeBusinessDays),
        noticeBusinessDays: integerOrText(v.noticeBusinessDays),
        mailedNoticeBusinessDays: integerOrText(v.mailedNoticeBusinessDays),
        outOfStateNoticeBusinessDays: integerOrText(v.outOfStateNoticeBusinessDays),
        reason: v.reason ?? '',
      }),
    );
  }, open);
  const { error } = form;
  const s = settings;
  const f = (name: string) => [`body.${name}`, name];
  return (
    <FormDialog title="Change the collections settings" open={open} onClose={onClose} testId="collections-settings-dialog" form={form} submitLabel="Save settings" submitTestId="save-collections-settings">
      <TextField label="Minimum past due ($)" name="minimumPastDue" inputMode="decimal" field={f('minimumPastDueCents')} error={error} defaultValue={dollarsText(s.minimumPastDueCents)} className="mono" required hint="Below it nothing happens" />
      <TextField label="Reconnection fee ($)" name="reconnectFee" inputMode="decimal" field={f('reconnectFeeCents')} error={error} defaultValue={dollarsText(s.reconnectFeeCents)} className="mono" required />
      <TextField label="After-hours reconnection fee ($)" name="afterHoursFee" inputMode="decimal" field={f('afterHoursFeeCents')} error={error} defaultValue={dollarsText(s.afterHoursFeeCents)} className="mono" required hint="On top of the reconnection fee" />
      <TextField label="Home state" name="homeState" field={f('homeState')} error={error} defaultValue={s.homeState} maxLength={2} className="input-short" required hint="An address elsewhere gets the out-of-state notice period" />
      <TextField label="Business hours from" name="businessHoursFrom" type="time" field={f('businessHoursFrom')} error={error} defaultValue={s.businessHoursFrom} required />
      <TextField label="Business hours to" name="businessHoursTo" type="time" field={f('businessHoursTo')} error={error} defaultValue={s.businessHoursTo} required />
      <TextField label="Late fee (business days after the due date)" name="lateFeeBusinessDays" type="number" min={0} max={60} field={f('lateFeeBusinessDays')} error={error} defaultValue={s.lateFeeBusinessDays} required />
      <TextField label="Notice (business days after the due date)" name="noticeBusinessDays" type="number" min={0} max={60} field={f('noticeBusinessDays')} error={error} defaultValue={s.noticeBusinessDays} required />
      <TextField label="Disconnection after a mailed notice (business days)" name="mailedNoticeBusinessDays" type="number" min={0} max={60} field={f('mailedNoticeBusinessDays')} error={error} defaultValue={s.mailedNoticeBusinessDays} required hint="The law: at least 8" />
      <TextField label="Disconnection after a notice mailed out of state (business days)" name="outOfStateNoticeBusinessDays" type="number" min={0} max={60} field={f('outOfStateNoticeBusinessDays')} error={error} defaultValue={s.outOfStateNoticeBusinessDays} required hint="The law: at least 11" />
      <TextAreaField label="Help paying (printed on the disconnect notice)" name="assistanceText" field={f('assistanceText')} error={error} defaultValue={s.assistanceText} rows={3} wide required />
      <ReasonField error={error} required placeholder="e.g. Board resolution 2026-14" />
    </FormDialog>
  );
}
