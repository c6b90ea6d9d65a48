import { humanize } from '../format.ts';
import type { OrderType } from '../types.ts';

/** How staff name the order types (the server's work list says the same). */
export const orderTypeLabels: Record<OrderType, string> = {
  move_in: 'Move-in',
  move_out: 'Move-out',
  meter_exchange: 'Meter exchange',
  meter_test: 'Meter test',
  check_read: 'Check read',
  disconnect: 'Disconnect',
  reconnect: 'Reconnect',
  tamper_investigation: 'Tamper investigation',
};

export function orderTypeLabel(type: string): string {
  return orderTypeLabels[type as OrderType] ?? humanize(type);
}

/** The type options of a select, in the order staff think of them. */
export const orderTypeOptions = (Object.keys(orderTypeLabels) as OrderType[]).map((value) => ({ value, label: orderTypeLabels[value] }));

/** Orders that need the account whose service changes (the server refuses them without one). */
export const orderNeedsAccount = (type: string) => type === 'move_in' || type === 'move_out';

/** Orders that are about a meter (the service point must have one). */
export const orderNeedsMeter = (type: string) => type === 'meter_exchange' || type === 'meter_test' || type === 'check_read';

/** Orders still to be worked. */
export const isOpenOrder = (status: string) => status === 'created' || status === 'scheduled' || status === 'held';
