/**
 * Completing a service order: the workflow that spans premises (agreements, meters, service point
 * status), meter reads and accounts, in one transaction. The checks in checks.ts run first; a hold
 * files exceptions and keeps the field data; a supervisor's override completes it anyway, with
 * the reason in the audit trail. Completing a completed order with the same field data returns
 * the first result and changes nothing.
 */
import { createHash } from 'node:crypto';
import { recordChange } from '../audit/index.ts';
import { customers } from '../customer/index.ts';
import { meterReads, type MeterRead } from '../meter-read/index.ts';
import { premises, type Agreement } from '../premise/index.ts';
import { roleAllows, type Actor } from '../platform/actor.ts';
import { addDays } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { checkOrder, type FieldData, type FieldRead, type OrderFacts, type OrderFinding } from './checks.ts';
import * as repo from './repository.ts';
import { orderNumber, toOrder, type OrderRequest, type ServiceOrder } from './service.ts';

export interface CompletionResult {
  order: ServiceOrder;
  /** The order was already completed with this field data: nothing changed. */
  alreadyCompleted: boolean;
  /** Checks held the order: it waits in the exceptions queue. */
  held: boolean;
  findings: OrderFinding[];
  reads: MeterRead[];
}

/** A stable hash of field data, keys sorted, so the same report compares equal. */
export function fieldDataHash(data: FieldData): string {
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canonical(x)]))
      : v;
  return createHash('sha256').update(JSON.stringify(canonical(data))).digest('hex');
}

async function gatherFacts(db: Db, order: repo.OrderRow, field: FieldData): Promise<OrderFacts> {
  const request = (order.request ?? {}) as OrderRequest;
  const sp = await premises.getServicePoint(db, order.service_point_id);
  const date = order.effective_date;
  const metered = sp.service !== 'fiber';
  const meter = metered ? await premises.meterAt(db, sp.id, date) : null;
  // On an exchange the old meter is the one the order was made for.
  const oldMeter = order.order_type === 'meter_exchange' && order.meter_id ? await premises.getMeter(db, order.meter_id) : meter;
  const lastRead = oldMeter ? await meterReads.lastReadOf(db, oldMeter.id, date) : null;
  const settings = (await meterReads.getValidationSettings(db)).find((s) => s.service === (sp.service === 'water' ? 'water' : 'electric'))!;

  let overlapping: OrderFacts['overlapping'] = [];
  if (order.order_type === 'move_in') {
    const reversion = await reversionAgreement(db, sp.id, sp.premiseId, sp.service, date);
    overlapping = sp.agreements
      .filter((a) => a.id !== reversion?.id && (a.endDate === null || a.endDate >= date))
      .map((a) => ({ agreementId: a.id, accountId: a.accountId, startDate: a.startDate, endDate: a.endDate }));
  }
  let landlord: OrderFacts['landlord'] = null;
  if (order.order_type === 'move_out') {
    const la = await premises.landlordAgreementOn(db, sp.premiseId, sp.service, addDays(date, 1));
    if (la && la.accountId !== order.account_id) landlord = { id: la.id, accountId: la.accountId, accountStatus: (await customers.getAccount(db, la.accountId)).status };
  }
  let newMeter: OrderFacts['newMeter'] = null;
  if (order.order_type === 'meter_exchange' && request.newMeterId) {
    const nm = await premises.getMeter(db, request.newMeterId);
    const installation = await premises.installationOfMeterOn(db, nm.id, date);
    const current = nm.installations.find((i) => i.removedOn === null);
    const at = installation ?? current ?? null;
    newMeter = { ...nm, installedAtPointId: at ? at.servicePointId : null };
  }
  return {
    type: order.order_type,
    metered,
    effectiveDate: date,
    field,
    meter: oldMeter ? { id: oldMeter.id, serial: oldMeter.serial, kind: oldMeter.kind, multiplier: oldMeter.multiplier, dials: oldMeter.dials } : null,
    lastRead: lastRead ? { readDate: lastRead.readDate, reading: lastRead.reading } : null,
    rolloverMaxShare: settings.rolloverMaxShare,
    overlapping,
    landlord,
    vacate: request.vacate === true,
    newMeter,
  };
}

/** An owner's reversion agreement in force at the point on a date: a new tenant ends it. */
async function reversionAgreement(db: Db, servicePointId: number, premiseId: number, service: 'electric' | 'water' | 'fiber', date: string): Promise<Agreement | null> {
  const current = await premises.agreementOn(db, servicePointId, date);
  if (!current) return null;
  const la = await premises.landlordAgreementOn(db, premiseId, service, date);
  return la && la.accountId === current.accountId ? current : null;
}

/**
 * Whether a disconnection for non-payment may be done on a day (a protection, a payment since the
 * order was made): the reason it may not, or null. Collections sets it (it keeps the rules);
 * completing a collections disconnect order asks it first.
 */
export type DisconnectGuard = (db: Db, accountId: number, date: string) => Promise<string | null>;
let disconnectGuard: DisconnectGuard | null = null;
export function setDisconnectGuard(guard: DisconnectGuard): void {
  disconnectGuard = guard;
}

export async function completeOrder(db: Db, actor: Actor, id: number, field: FieldData, options: { override?: string; today?: string } = {}): Promise<CompletionResult> {
  return transact(db, async (trx) => {
    const order = await repo.findOrderForUpdate(trx, id);
    if (!order) throw notFound('Service order', id);
    const hash = fieldDataHash(field);
    if (order.status === 'completed') {
      if (order.field_data_hash === hash) return { order: toOrder(order), alreadyCompleted: true, held: false, findings: [], reads: await meterReads.readsOfOrder(trx, id) };
      throw new AppError('conflict', `Service order ${orderNumber(id)} was already completed with different field data`, { orderId: id });
    }
    if (order.status === 'cancelled') throw new AppError('conflict', `Service order ${orderNumber(id)} was cancelled: ${order.cancel_reason}`);
    if (disconnectGuard && order.order_type === 'disconnect' && order.source === 'collections' && order.account_id !== null) {
      const why = await disconnectGuard(trx, Number(order.account_id), options.today ?? order.effective_date);
      if (why) throw new AppError('conflict', `Service order ${orderNumber(id)} must not be worked: ${why}. Leave service on (the next collections run cancels the order)`, { orderId: id });
    }

    const findings = checkOrder(await gatherFacts(trx, order, field));
    const blocks = findings.filter((f) => f.severity === 'block');
    if (blocks.length > 0) {
      throw new AppError('conflict', `Service order ${orderNumber(id)} cannot be completed: ${blocks.map((b) => b.message).join('; ')}`, { checks: blocks.map((b) => b.code) });
    }
    if (findings.length > 0 && !options.override) return hold(trx, actor, order, field, hash, findings);
    if (findings.length > 0 && !roleAllows(actor.role, 'supervisor')) {
      throw new AppError('forbidden', `Only a supervisor may override the checks on ${orderNumber(id)} (${findings.map((f) => f.code).join(', ')})`);
    }
    // An override reason only matters when there is something to override.
    const override = findings.length > 0 ? options.override : undefined;
    const reason = override ? `Override: ${override}` : `${orderNumber(id)} completed`;
    const { result, reads } = await applyOrder(trx, actor, order, field, new Set(findings.map((f) => f.code)), reason);
    const row = await repo.updateOrder(trx, id, { status: 'completed', field_data: JSON.stringify(field), field_data_hash: hash, result: JSON.stringify(result), completed_at: new Date(), completed_by: actor.userId });
    if (override) await repo.resolveOpenExceptions(trx, id, 'overridden', actor.userId, override);
    else await repo.resolveOpenExceptions(trx, id, 'cleared', actor.userId, 'Completed with new field data');
    await recordChange(trx, actor, {
      action: override ? 'override' : 'complete', entityType: 'service_order', entityId: id, accountId: order.account_id,
      before: { status: order.status }, after: { status: 'completed', overriddenChecks: findings.map((f) => f.code), result },
      reason: override ?? reason,
    });
    return { order: toOrder(row), alreadyCompleted: false, held: false, findings, reads };
  });
}

/** A supervisor completes a held order with the field data it was held with. */
export async function overrideOrder(db: Db, actor: Actor, id: number, reason: string): Promise<CompletionResult> {
  const order = await repo.findOrder(db, id);
  if (!order) throw notFound('Service order', id);
  if (order.status !== 'held') throw new AppError('conflict', `Service order ${orderNumber(id)} is ${order.status}, not held`);
  return completeOrder(db, actor, id, (order.field_data ?? {}) as FieldData, { override: reason });
}

async function hold(db: Db, actor: Actor, order: repo.OrderRow, field: FieldData, hash: string, findings: OrderFinding[]): Promise<CompletionResult> {
  const open = (await repo.exceptionsOfOrder(db, order.id)).filter((e) => e.status === 'open');
  const same = order.status === 'held' && order.field_data_hash === hash && open.map((e) => e.check_code).sort().join() === findings.map((f) => f.code).sort().join();
  if (same) return { order: toOrder(order), alreadyCompleted: false, held: true, findings, reads: [] };
  await repo.resolveOpenExceptions(db, order.id, 'cleared', actor.userId, 'Superseded by new field data');
  await repo.insertExceptions(db, findings.map((f) => ({ order_id: order.id, check_code: f.code, message: f.message })));
  const row = await repo.updateOrder(db, order.id, { status: 'held', field_data: JSON.stringify(field), field_data_hash: hash });
  await recordChange(db, actor, { action: 'hold', entityType: 'service_order', entityId: order.id, accountId: order.account_id, before: { status: order.status }, after: { status: 'held', checks: findings.map((f) => f.code) }, reason: findings.map((f) => f.message).join('; ') });
  return { order: toOrder(row), alreadyCompleted: false, held: true, findings, reads: [] };
}

type Overridden = Set<string>;

/** What each type of order does to the data, once its checks pass or are overridden. */
async function applyOrder(db: Db, actor: Actor, order: repo.OrderRow, field: FieldData, overridden: Overridden, reason: string): Promise<{ result: Record<string, unknown>; reads: MeterRead[] }> {
  const request = (order.request ?? {}) as OrderRequest;
  const date = order.effective_date;
  const sp = await premises.getServicePoint(db, order.service_point_id);
  const meter = sp.service === 'fiber' ? null : await premises.meterAt(db, sp.id, date);
  const reads: MeterRead[] = [];
  const result: Record<string, unknown> = {};

  /** Records the field read, or estimates it where a supervisor let a missing read through. */
  const takeRead = async (meterId: number, fieldRead: FieldRead | null | undefined, purpose: Parameters<typeof meterReads.recordRead>[2]['purpose'], required: boolean) => {
    if (fieldRead) {
      const { read } = await meterReads.recordRead(db, actor, { meterId, readDate: date, reading: fieldRead.reading, rollover: fieldRead.rollover, readType: fieldRead.readType ?? 'actual', purpose, source: 'order', orderId: order.id, note: field.notes ?? null }, { reason });
      reads.push(read);
    } else if (required && (await meterReads.lastReadOf(db, meterId, date))) {
      const { read } = await meterReads.estimate(db, actor, { meterId, readDate: date, purpose, orderId: order.id }, `${reason}: read estimated`);
      reads.push(read);
    }
  };
  const setPointStatus = async (status: 'active' | 'inactive' | 'disconnected') => {
    if (sp.status !== status) await premises.updateServicePoint(db, actor, { today: () => date, now: () => new Date() }, sp.id, { status }, reason);
    result.servicePointStatus = status;
  };

  switch (order.order_type) {
    case 'move_in': {
      const reversion = await reversionAgreement(db, sp.id, sp.premiseId, sp.service, date);
      if (reversion) {
        await premises.endAgreement(db, actor, reversion.id, { endDate: addDays(date, -1), endReason: 'reversion_ended' }, `${reason}: a tenant moves in`);
        result.endedReversionAgreementId = reversion.id;
      }
      if (meter && !overridden.has('meter_not_installed')) await takeRead(meter.id, field.read, 'move_in', true);
      const agreement = await premises.createAgreement(db, actor, { accountId: order.account_id!, servicePointId: sp.id, rateCode: request.rateCode!, startDate: date }, reason);
      result.agreementId = agreement.id;
      await setPointStatus('active');
      const account = await customers.getAccount(db, order.account_id!);
      if (account.status === 'pending' || account.status === 'final') await customers.updateAccount(db, actor, account.id, { status: 'active', closedOn: null }, reason);
      break;
    }
    case 'move_out': {
      const agreement = await premises.agreementOn(db, sp.id, date);
      if (!agreement || agreement.accountId !== order.account_id) throw new AppError('conflict', `Account ${order.account_id} no longer has service at service point ${sp.id} on ${date}`);
      if (meter && !overridden.has('meter_not_installed')) await takeRead(meter.id, field.read, 'move_out', true);
      const ended = await premises.endAgreement(db, actor, agreement.id, { endDate: date, endReason: order.group_kind === 'transfer' ? 'transfer' : 'move_out' }, reason);
      result.endedAgreementId = ended.id;
      result.finalBillDue = ended.finalBillDue;
      const la = request.vacate ? null : await premises.landlordAgreementOn(db, sp.premiseId, sp.service, addDays(date, 1));
      const owner = la ? await customers.getAccount(db, la.accountId) : null;
      if (la && owner && owner.status === 'active' && la.accountId !== order.account_id) {
        const reverted = await premises.createAgreement(db, actor, { accountId: la.accountId, servicePointId: sp.id, rateCode: la.rateCode ?? agreement.rateCode, startDate: addDays(date, 1) }, `${reason}: service reverts to the owner under landlord agreement ${la.id}`);
        result.reversionAgreementId = reverted.id;
      } else {
        await setPointStatus('inactive');
      }
      // A transfer keeps the account open: its service goes on at the new premise.
      const open = (await premises.servicesOfAccount(db, order.account_id!)).filter((s) => s.agreement.endDate === null || s.agreement.endDate > date);
      if (open.length === 0 && order.group_kind !== 'transfer') {
        await customers.updateAccount(db, actor, order.account_id!, { status: 'final', closedOn: date }, `${reason}: last service stopped, final bill due`);
        result.accountStatus = 'final';
      }
      break;
    }
    case 'meter_exchange': {
      const oldMeterId = order.meter_id!;
      if (!overridden.has('meter_not_installed')) await takeRead(oldMeterId, field.read, 'exchange_out', true);
      await premises.removeMeter(db, actor, oldMeterId, { removedOn: date }, reason);
      if (request.oldMeterTo) await premises.updateMeter(db, actor, oldMeterId, { status: request.oldMeterTo }, reason);
      await premises.installMeter(db, actor, request.newMeterId!, { servicePointId: sp.id, installedOn: date }, reason);
      if (field.newMeterRead) {
        const { read } = await meterReads.recordRead(db, actor, { meterId: request.newMeterId!, readDate: date, reading: field.newMeterRead.reading, readType: 'actual', purpose: 'exchange_in', source: 'order', orderId: order.id }, { reason });
        reads.push(read);
      } else {
        const { read } = await meterReads.recordRead(db, actor, { meterId: request.newMeterId!, readDate: date, reading: '0', readType: 'estimated', purpose: 'exchange_in', source: 'order', orderId: order.id, estimateRule: 'no opening read reported: a new meter is taken to start at zero', note: 'Opening read assumed 0' }, { reason });
        reads.push(read);
      }
      result.oldMeterId = oldMeterId;
      result.newMeterId = request.newMeterId;
      break;
    }
    case 'check_read':
    case 'meter_test':
    case 'tamper_investigation': {
      const purpose = order.order_type === 'check_read' ? 'check' : order.order_type === 'meter_test' ? 'test' : 'investigation';
      if (meter && field.read && !overridden.has('meter_not_installed')) await takeRead(meter.id, field.read, purpose, false);
      if (order.order_type === 'meter_test' && field.test) result.test = field.test;
      if (order.order_type === 'tamper_investigation') result.tamperFound = field.tamperFound ?? false;
      break;
    }
    case 'disconnect': {
      if (meter && !overridden.has('meter_not_installed')) await takeRead(meter.id, field.read, 'disconnect', true);
      await setPointStatus('disconnected');
      break;
    }
    case 'reconnect': {
      if (meter && field.read && !overridden.has('meter_not_installed')) await takeRead(meter.id, field.read, 'reconnect', false);
      await setPointStatus('active');
      break;
    }
  }
  if (field.sealNumber) result.sealNumber = field.sealNumber;
  result.readIds = reads.map((r) => r.id);
  result.readExceptions = reads.flatMap((r) => r.exceptions.map((e) => e.code));
  return { result, reads };
}
