/**
 * Service orders: made, scheduled, completed with field data (see complete.ts) or cancelled with a
 * reason. One order per service point; a move within the district is a group of move-outs and
 * move-ins made together.
 */
import { recordChange } from '../audit/index.ts';
import { customers } from '../customer/index.ts';
import { meterReads } from '../meter-read/index.ts';
import { premises } from '../premise/index.ts';
import type { Actor } from '../platform/actor.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import type { FieldData } from './checks.ts';
import * as repo from './repository.ts';

export type { OrderType, OrderStatus } from './repository.ts';

export interface OrderRequest {
  /** Move-in: the rate the new agreement is billed under. */
  rateCode?: string;
  /** Meter exchange: the meter going in. */
  newMeterId?: number;
  /** Move-out: leave the service vacant even where a landlord agreement would take it. */
  vacate?: boolean;
  /** Meter exchange: where the old meter goes (to the shop for testing, or stock). */
  oldMeterTo?: 'testing' | 'in_stock' | 'retired';
  /** Disconnect: why (non-payment orders come from collections). */
  forNonPayment?: boolean;
}

export interface ServiceOrder {
  id: number;
  number: string;
  type: repo.OrderType;
  status: repo.OrderStatus;
  groupId: number | null;
  groupKind: 'transfer' | null;
  accountId: number | null;
  servicePointId: number;
  meterId: number | null;
  effectiveDate: string;
  scheduledFor: string | null;
  crew: string | null;
  priority: 'normal' | 'urgent';
  reason: string;
  instructions: string | null;
  request: OrderRequest;
  fieldData: FieldData | null;
  result: Record<string, unknown> | null;
  source: string;
  createdAt: string;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
}

export interface ServiceOrderListItem extends ServiceOrder {
  service: 'electric' | 'water' | 'fiber';
  route: string | null;
  premiseId: number;
  address: string;
  meterSerial: string | null;
  accountNumber: string | null;
  customerName: string | null;
  openExceptions: number;
}

export const orderNumber = (id: number) => `SO-${String(id).padStart(6, '0')}`;

export const toOrder = (r: repo.OrderRow): ServiceOrder => ({
  id: r.id,
  number: orderNumber(r.id),
  type: r.order_type,
  status: r.status,
  groupId: r.group_id,
  groupKind: r.group_kind,
  accountId: r.account_id,
  servicePointId: r.service_point_id,
  meterId: r.meter_id,
  effectiveDate: r.effective_date,
  scheduledFor: r.scheduled_for,
  crew: r.crew,
  priority: r.priority,
  reason: r.reason,
  instructions: r.instructions,
  request: (r.request ?? {}) as OrderRequest,
  fieldData: (r.field_data ?? null) as FieldData | null,
  result: (r.result ?? null) as Record<string, unknown> | null,
  source: r.source,
  createdAt: r.created_at.toISOString(),
  completedAt: r.completed_at ? r.completed_at.toISOString() : null,
  cancelledAt: r.cancelled_at ? r.cancelled_at.toISOString() : null,
  cancelReason: r.cancel_reason,
});

const toListItem = (r: repo.OrderListRow): ServiceOrderListItem => ({
  ...toOrder(r),
  service: r.service,
  route: r.route,
  premiseId: r.premise_id,
  address: r.address,
  meterSerial: r.meter_serial,
  accountNumber: r.account_number,
  customerName: r.customer_name,
  openExceptions: r.open_exceptions,
});

/** Which orders need an account (the party whose service changes). */
const needsAccount: repo.OrderType[] = ['move_in', 'move_out'];

export interface NewOrder {
  type: repo.OrderType;
  servicePointId: number;
  accountId?: number | null;
  effectiveDate: string;
  scheduledFor?: string | null;
  crew?: string | null;
  priority?: 'normal' | 'urgent';
  reason: string;
  instructions?: string | null;
  request?: OrderRequest;
  source?: 'staff' | 'api' | 'collections' | 'tamper';
  /** Makes creation idempotent: the same key returns the order made the first time. */
  idempotencyKey?: string | null;
  groupId?: number | null;
  groupKind?: 'transfer' | null;
}

/** Makes an order after the checks that can be made before anyone goes to the field. */
export async function createOrder(db: Db, actor: Actor, input: NewOrder): Promise<ServiceOrder> {
  return transact(db, async (trx) => {
    if (input.idempotencyKey) {
      const existing = await repo.findOrderByKey(trx, input.idempotencyKey);
      if (existing) return toOrder(existing);
    }
    const sp = await premises.getServicePoint(trx, input.servicePointId).catch(() => {
      throw invalid('body.servicePointId', `service point ${input.servicePointId} was not found`);
    });
    const request = input.request ?? {};
    if (needsAccount.includes(input.type) && !input.accountId) throw invalid('body.accountId', `a ${input.type.replace('_', '-')} order needs the account`);
    let accountId = input.accountId ?? null;
    if (accountId) await customers.getAccount(trx, accountId).catch(() => { throw invalid('body.accountId', `account ${accountId} was not found`); });
    if (input.type === 'move_in' && !request.rateCode) throw invalid('body.request.rateCode', 'a move-in needs the rate code of the new agreement');
    if (input.type === 'move_out') {
      const agreement = await premises.agreementOn(trx, sp.id, input.effectiveDate);
      if (!agreement || agreement.accountId !== accountId) {
        throw invalid('body.accountId', `account ${accountId} has no service at service point ${sp.id} on ${input.effectiveDate}`);
      }
    }
    const meter = sp.service === 'fiber' ? null : await premises.meterAt(trx, sp.id, input.effectiveDate);
    if (input.type === 'meter_exchange') {
      if (sp.service === 'fiber') throw invalid('body.servicePointId', `service point ${sp.id} is fiber, which has no meter`);
      if (!request.newMeterId) throw invalid('body.request.newMeterId', 'a meter exchange needs the new meter');
      const newMeter = await premises.getMeter(trx, request.newMeterId).catch(() => { throw invalid('body.request.newMeterId', `meter ${request.newMeterId} was not found`); });
      if (newMeter.kind !== sp.service) throw invalid('body.request.newMeterId', `meter ${newMeter.serial} is ${newMeter.kind} but service point ${sp.id} is ${sp.service}`);
      if (meter && meter.id === newMeter.id) throw invalid('body.request.newMeterId', `meter ${newMeter.serial} is the one already there`);
    }
    if (['meter_test', 'check_read', 'meter_exchange'].includes(input.type) && !meter) {
      throw new AppError('conflict', `Service point ${sp.id} has no meter installed on ${input.effectiveDate}`, { check: 'meter_not_installed' });
    }
    // The party served, for orders on an occupied service point that did not name one.
    if (!accountId) accountId = (await premises.agreementOn(trx, sp.id, input.effectiveDate))?.accountId ?? null;
    const row = await repo.insertOrder(trx, {
      order_type: input.type,
      status: input.scheduledFor ? 'scheduled' : 'created',
      group_id: input.groupId ?? null,
      group_kind: input.groupKind ?? null,
      account_id: accountId,
      service_point_id: sp.id,
      meter_id: meter?.id ?? null,
      effective_date: input.effectiveDate,
      scheduled_for: input.scheduledFor ?? null,
      crew: input.crew ?? null,
      priority: input.priority ?? 'normal',
      reason: input.reason,
      instructions: input.instructions ?? null,
      request: JSON.stringify(request),
      field_data: null,
      field_data_hash: null,
      result: null,
      source: input.source ?? 'staff',
      idempotency_key: input.idempotencyKey ?? null,
      created_by: actor.userId,
      completed_at: null,
      completed_by: null,
      cancelled_at: null,
      cancelled_by: null,
      cancel_reason: null,
    });
    const order = toOrder(row);
    await recordChange(trx, actor, { action: 'create', entityType: 'service_order', entityId: order.id, accountId, after: { number: order.number, type: order.type, servicePointId: sp.id, effectiveDate: order.effectiveDate, request: { ...request } }, reason: input.reason });
    return order;
  });
}

/**
 * A move within the district: the account's service at its old premise stops and starts at the
 * new one, as move-out and move-in orders that share a group and can be worked separately.
 */
export async function createTransfer(
  db: Db,
  actor: Actor,
  input: { accountId: number; effectiveDate: string; stop: { servicePointId: number }[]; start: { servicePointId: number; rateCode: string }[]; scheduledFor?: string | null; reason: string },
): Promise<ServiceOrder[]> {
  if (input.stop.length === 0 && input.start.length === 0) throw invalid('body', 'a transfer stops or starts at least one service');
  return transact(db, async (trx) => {
    const groupId = await repo.nextGroupId(trx);
    const common = { accountId: input.accountId, effectiveDate: input.effectiveDate, scheduledFor: input.scheduledFor, reason: input.reason, groupId, groupKind: 'transfer' as const };
    const orders: ServiceOrder[] = [];
    for (const s of input.stop) orders.push(await createOrder(trx, actor, { ...common, type: 'move_out', servicePointId: s.servicePointId }));
    for (const s of input.start) orders.push(await createOrder(trx, actor, { ...common, type: 'move_in', servicePointId: s.servicePointId, request: { rateCode: s.rateCode } }));
    return orders;
  });
}

export async function scheduleOrder(db: Db, actor: Actor, id: number, input: { scheduledFor: string; crew?: string | null; priority?: 'normal' | 'urgent' }, reason = 'Scheduled'): Promise<ServiceOrder> {
  return transact(db, async (trx) => {
    const before = await repo.findOrderForUpdate(trx, id);
    if (!before) throw notFound('Service order', id);
    if (before.status === 'completed' || before.status === 'cancelled') throw new AppError('conflict', `Service order ${orderNumber(id)} is ${before.status}`);
    const row = await repo.updateOrder(trx, id, { status: before.status === 'held' ? 'held' : 'scheduled', scheduled_for: input.scheduledFor, crew: input.crew === undefined ? before.crew : input.crew, priority: input.priority ?? before.priority });
    await recordChange(trx, actor, { action: 'schedule', entityType: 'service_order', entityId: id, accountId: row.account_id, before: { status: before.status, scheduledFor: before.scheduled_for, crew: before.crew }, after: { status: row.status, scheduledFor: row.scheduled_for, crew: row.crew }, reason });
    return toOrder(row);
  });
}

export async function cancelOrder(db: Db, actor: Actor, id: number, reason: string): Promise<ServiceOrder> {
  return transact(db, async (trx) => {
    const before = await repo.findOrderForUpdate(trx, id);
    if (!before) throw notFound('Service order', id);
    if (before.status === 'cancelled') return toOrder(before);
    if (before.status === 'completed') throw new AppError('conflict', `Service order ${orderNumber(id)} is completed; it cannot be cancelled`);
    const row = await repo.updateOrder(trx, id, { status: 'cancelled', cancelled_at: new Date(), cancelled_by: actor.userId, cancel_reason: reason });
    await repo.resolveOpenExceptions(trx, id, 'cleared', actor.userId, `Order cancelled: ${reason}`);
    await recordChange(trx, actor, { action: 'cancel', entityType: 'service_order', entityId: id, accountId: row.account_id, before: { status: before.status }, after: { status: 'cancelled' }, reason });
    return toOrder(row);
  });
}

export async function getOrder(db: Db, id: number) {
  const row = await repo.findOrder(db, id);
  if (!row) throw notFound('Service order', id);
  const [item] = await repo.listOrders(db, { after: id - 1, limit: 1 });
  const exceptions = await repo.exceptionsOfOrder(db, id);
  return {
    ...toListItem(item!),
    exceptions: exceptions.map((e) => ({ id: e.id, code: e.check_code, message: e.message, status: e.status, resolutionReason: e.resolution_reason, resolvedAt: e.resolved_at?.toISOString() ?? null })),
  };
}

/** An order with its exceptions and the reads it took. */
export async function getOrderDetail(db: Db, id: number) {
  return { ...(await getOrder(db, id)), reads: await meterReads.readsOfOrder(db, id) };
}

export async function listOrders(db: Db, q: repo.OrderListQuery): Promise<ServiceOrderListItem[]> {
  return (await repo.listOrders(db, q)).map(toListItem);
}

export async function openExceptions(db: Db, q: { after: number; limit: number }) {
  return (await repo.openExceptions(db, q)).map((e) => ({
    id: e.id, orderId: e.order_id, orderNumber: orderNumber(e.order_id), orderType: e.order_type, effectiveDate: e.effective_date, code: e.check_code, message: e.message,
    accountId: e.account_id, accountNumber: e.account_number, address: e.address, service: e.service, createdAt: e.created_at.toISOString(),
  }));
}
