import { api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { CheckboxField, integerOrText, optional, SelectField, TextAreaField, TextField, useSubmit } from '../components/forms.tsx';
import { useApi } from '../hooks.ts';
import { readingHint, useLastRead } from '../read/EnterReadDialog.tsx';
import type { CompletionResult, FieldData, Meter, OrderDetail, OrderType } from '../types.ts';
import { orderTypeLabel } from './labels.ts';

/** What the read of each order type is called, and whether the checks want one. */
const readLabels: Record<OrderType, { label: string; required: boolean }> = {
  move_in: { label: 'Opening read', required: true },
  move_out: { label: 'Closing read', required: true },
  meter_exchange: { label: 'Closing read of the old meter', required: true },
  meter_test: { label: 'Read at the test', required: true },
  check_read: { label: 'Check read', required: true },
  disconnect: { label: 'Read at disconnection', required: true },
  reconnect: { label: 'Read at reconnection', required: false },
  tamper_investigation: { label: 'Read', required: false },
};

/** Leaves out an object whose every value is empty. */
function some<T extends object>(value: T): T | undefined {
  return Object.values(value).some((v) => v !== undefined) ? value : undefined;
}

const decimalOrUndefined = (text: string | undefined) => (text ? text : undefined);
const dialsOrUndefined = (text: string | undefined) => (text ? (integerOrText(text) as number) : undefined);

/** The field data of a completion, from the form (empty fields are left out). */
function fieldDataFrom(type: OrderType, v: Record<string, string>, metered: boolean): FieldData {
  const data: FieldData = {};
  if (metered && v.reading) data.read = { reading: v.reading, ...(v.rollover === 'on' ? { rollover: true } : {}), ...(v.readType === 'customer' ? { readType: 'customer' as const } : {}) };
  if (type === 'meter_exchange') {
    if (v.newReading) data.newMeterRead = { reading: v.newReading };
    data.oldMeter = some({ multiplier: decimalOrUndefined(v.oldMultiplier), dials: dialsOrUndefined(v.oldDials) });
    data.newMeter = some({ multiplier: decimalOrUndefined(v.newMultiplier), dials: dialsOrUndefined(v.newDials) });
  }
  if (type === 'meter_test' && (v.accuracyPercent || v.passed)) data.test = { accuracyPercent: v.accuracyPercent ?? '', passed: v.passed === 'yes' };
  if (type === 'tamper_investigation') data.tamperFound = v.tamperFound === 'on';
  data.sealNumber = optional(v.sealNumber);
  data.sealRemoved = optional(v.sealRemoved);
  if (type === 'tamper_investigation') data.findings = optional(v.findings);
  data.notes = optional(v.notes);
  return Object.fromEntries(Object.entries(data).filter(([, x]) => x !== undefined)) as FieldData;
}

/**
 * Complete an order with what the field found. The form asks for what the order's type needs: a
 * read (with rollover), for an exchange the new meter's opening read and both meters' multiplier
 * and dials as found, seal numbers, a meter test's result, a tamper investigation's findings, and
 * notes. A held order opens with the field data it was held with, to be corrected.
 */
export function CompleteOrderDialog({ order, open, onClose, onDone }: { order: OrderDetail; open: boolean; onClose(): void; onDone(result: CompletionResult): void }) {
  const metered = order.service !== 'fiber';
  const meterId = order.meterId;
  const type = order.type as OrderType;
  const last = useLastRead(metered ? meterId : null);
  const oldMeter = useApi(`order-meter:${meterId ?? ''}`, (signal) => (meterId ? api.get<Meter>(`/meters/${meterId}`, undefined, signal) : Promise.resolve(null)));
  const newMeterId = order.request.newMeterId;
  const newMeter = useApi(`order-new-meter:${newMeterId ?? ''}`, (signal) => (newMeterId ? api.get<Meter>(`/meters/${newMeterId}`, undefined, signal) : Promise.resolve(null)));

  const form = useSubmit(async (v) => {
    onDone(await api.post<CompletionResult>(`/service-orders/${order.id}/complete`, { fieldData: fieldDataFrom(type, v, metered) }));
  }, open);
  const { error } = form;
  const was = order.fieldData ?? {};
  const readInfo = readLabels[type];
  const om = oldMeter.data;
  const nm = newMeter.data;

  return (
    <FormDialog
      title={`Complete ${order.number} ${orderTypeLabel(order.type).toLowerCase()}`}
      open={open}
      onClose={onClose}
      testId="complete-order-dialog"
      form={form}
      submitLabel={order.status === 'held' ? 'Complete again' : 'Complete order'}
      submitTestId="save-complete"
    >
      {metered && meterId !== null && (
        <>
          <TextField
            label={`${readInfo.label}${readInfo.required ? '' : ' (optional)'}`}
            name="reading"
            field={['body.fieldData.read', 'reading']}
            error={error}
            inputMode="decimal"
            autoComplete="off"
            className="mono"
            defaultValue={was.read?.reading ?? ''}
            hint={`Meter ${order.meterSerial ?? meterId}${om ? ` (${om.unit}) · ${readingHint(om.dials, last)}` : ''}`}
            autoFocus
          />
          <SelectField label="Read by" name="readType" field="body.fieldData.read.readType" error={error} options={[{ value: 'actual', label: 'Field crew (actual)' }, { value: 'customer', label: 'Customer' }]} defaultValue={was.read?.readType ?? 'actual'} />
          <CheckboxField label="The register rolled over past zero" name="rollover" defaultChecked={was.read?.rollover === true} wide />
        </>
      )}
      {metered && meterId === null && <p className="field-wide muted">No meter was installed at the point when the order was made: there is nothing to read.</p>}

      {type === 'meter_exchange' && (
        <>
          <fieldset className="form-section">
            <legend>Old meter {order.meterSerial} as found</legend>
            <TextField label="Multiplier" name="oldMultiplier" field="body.fieldData.oldMeter.multiplier" error={error} inputMode="decimal" placeholder={om ? `on record: ${om.multiplier}` : undefined} defaultValue={was.oldMeter?.multiplier ?? ''} hint="Blank: as on record" />
            <TextField label="Dials" name="oldDials" field="body.fieldData.oldMeter.dials" error={error} type="number" min={1} max={10} placeholder={om ? `on record: ${om.dials}` : undefined} defaultValue={was.oldMeter?.dials ?? ''} />
          </fieldset>
          <fieldset className="form-section">
            <legend>New meter {nm?.serial ?? ''} as found</legend>
            <TextField label="Opening read" name="newReading" field="body.fieldData.newMeterRead" error={error} inputMode="decimal" autoComplete="off" className="mono" defaultValue={was.newMeterRead?.reading ?? ''} hint={nm ? `${nm.dials} dials, ${nm.unit}` : undefined} wide />
            <TextField label="Multiplier" name="newMultiplier" field="body.fieldData.newMeter.multiplier" error={error} inputMode="decimal" placeholder={nm ? `on record: ${nm.multiplier}` : undefined} defaultValue={was.newMeter?.multiplier ?? ''} hint="Blank: as on record" />
            <TextField label="Dials" name="newDials" field="body.fieldData.newMeter.dials" error={error} type="number" min={1} max={10} placeholder={nm ? `on record: ${nm.dials}` : undefined} defaultValue={was.newMeter?.dials ?? ''} />
          </fieldset>
        </>
      )}

      {type === 'meter_test' && (
        <>
          <TextField label="Accuracy (%)" name="accuracyPercent" field="body.fieldData.test" error={error} inputMode="decimal" defaultValue={was.test?.accuracyPercent ?? ''} hint="e.g. 99.8" />
          <fieldset className="radio-row">
            <legend>Result</legend>
            {[['yes', 'Passed'], ['no', 'Failed']].map(([value, label]) => (
              <label key={value}>
                <input type="radio" name="passed" value={value} defaultChecked={was.test ? (was.test.passed ? 'yes' : 'no') === value : false} /> {label}
              </label>
            ))}
          </fieldset>
        </>
      )}

      {type === 'tamper_investigation' && (
        <>
          <CheckboxField label="Tampering found" name="tamperFound" defaultChecked={was.tamperFound === true} />
          <TextAreaField label="Findings" name="findings" field="body.fieldData.findings" error={error} maxLength={2000} wide defaultValue={was.findings ?? ''} placeholder="What was found: broken seal, bypass, meter inverted…" />
        </>
      )}

      {metered && (
        <>
          <TextField label="Seal number" name="sealNumber" field="body.fieldData.sealNumber" error={error} maxLength={40} autoComplete="off" defaultValue={was.sealNumber ?? ''} hint="The seal put on" />
          <TextField label="Seal removed" name="sealRemoved" field="body.fieldData.sealRemoved" error={error} maxLength={40} autoComplete="off" defaultValue={was.sealRemoved ?? ''} hint="The seal found and taken off" />
        </>
      )}
      <TextAreaField label="Notes" name="notes" field="body.fieldData.notes" error={error} maxLength={2000} wide defaultValue={was.notes ?? ''} />
    </FormDialog>
  );
}
