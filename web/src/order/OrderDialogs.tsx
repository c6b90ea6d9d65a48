import { api } from '../api.ts';
import { FindingList } from '../components/checkExceptions.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { optional, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import type { CompletionResult, OrderDetail, ServiceOrder } from '../types.ts';
import { orderTypeLabel } from './labels.ts';

const titleOf = (order: OrderDetail) => `${order.number} ${orderTypeLabel(order.type).toLowerCase()}`;

/** Schedule (or reschedule) an order for a day and crew. */
export function ScheduleOrderDialog({ order, open, onClose, onSaved }: { order: OrderDetail; open: boolean; onClose(): void; onSaved(order: ServiceOrder): void }) {
  const form = useSubmit(async (v) => {
    const saved = await api.post<ServiceOrder>(`/service-orders/${order.id}/schedule`, { scheduledFor: v.scheduledFor, crew: v.crew ? v.crew : null, priority: v.priority, reason: optional(v.reason) });
    onSaved(saved);
  }, open);
  const { error } = form;
  return (
    <FormDialog title={`Schedule ${titleOf(order)}`} open={open} onClose={onClose} testId="schedule-order-dialog" form={form} submitLabel="Schedule" submitTestId="save-schedule">
      <TextField label="Scheduled for" name="scheduledFor" field="body.scheduledFor" error={error} type="date" required defaultValue={order.scheduledFor ?? order.effectiveDate} hint={`Effective ${order.effectiveDate}`} autoFocus />
      <TextField label="Crew" name="crew" field="body.crew" error={error} maxLength={40} autoComplete="off" defaultValue={order.crew ?? ''} />
      <SelectField label="Priority" name="priority" field="body.priority" error={error} options={['normal', 'urgent']} defaultValue={order.priority} />
      <ReasonField error={error} />
    </FormDialog>
  );
}

/** Cancel an order that is not completed, with the reason. */
export function CancelOrderDialog({ order, open, onClose, onSaved }: { order: OrderDetail; open: boolean; onClose(): void; onSaved(order: ServiceOrder): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<ServiceOrder>(`/service-orders/${order.id}/cancel`, { reason: v.reason }));
  }, open);
  return (
    <FormDialog title={`Cancel ${titleOf(order)}`} open={open} onClose={onClose} testId="cancel-order-dialog" form={form} submitLabel="Cancel the order" submitTestId="save-cancel-order">
      <ReasonField error={form.error} required autoFocus placeholder="e.g. Customer is staying" />
    </FormDialog>
  );
}

/**
 * A supervisor completes a held order with the field data it was held with, despite its checks.
 * The reason goes into the audit trail.
 */
export function OverrideOrderDialog({ order, open, onClose, onSaved }: { order: OrderDetail; open: boolean; onClose(): void; onSaved(result: CompletionResult): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<CompletionResult>(`/service-orders/${order.id}/override`, { reason: v.reason }));
  }, open);
  const open_ = order.exceptions.filter((e) => e.status === 'open');
  return (
    <FormDialog title={`Override the checks on ${order.number}`} open={open} onClose={onClose} testId="override-order-dialog" form={form} submitLabel="Override and complete" submitTestId="save-override">
      <div className="field-wide notice">
        <p className="notice-title">The order completes with the field data it was held with, despite:</p>
        <FindingList findings={open_} />
      </div>
      <ReasonField error={form.error} required autoFocus label="Reason for the override" placeholder="e.g. Meter reader confirmed the register was replaced" />
    </FormDialog>
  );
}
