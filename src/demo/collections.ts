/**
 * The demo district's collections: the collections run made for each business day of the last 30 days
 * (after the bills, payments and protections are in), so the work queue has accounts at every
 * step: past-due and disconnect notices, 48-hour notices, disconnect orders open in the field,
 * accounts disconnected (two orders in three worked by the field crew the next business day; the
 * third customer pays at the door), and accounts passed over for a protection.
 */
import { collections } from '../collections/index.ts';
import { isBusinessDay } from '../billing/schedule.ts';
import { meterReads } from '../meter-read/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays } from '../platform/dates.ts';
import type { Db } from '../platform/db/database.ts';
import { payments } from '../payment/index.ts';
import { premises } from '../premise/index.ts';
import { completeOrder, serviceOrders } from '../service-order/index.ts';

const DAYS = 30;
const clockOn = (date: string): Clock => ({ now: () => new Date(`${date}T17:00:00-08:00`), today: () => date });
const META = { utilityName: 'Columbia Basin Public Utility District', utilityAddress: ['PO Box 1231', 'Wenatchee WA 98807'], utilityPhone: '(509) 555-0100' };

export interface DemoCollections { runs: number; actions: number; disconnected: number; paidAtDoor: number }

export async function loadDemoCollections(db: Db, actor: Actor, clock: Clock, timeZone: string): Promise<DemoCollections> {
  const out: DemoCollections = { runs: 0, actions: 0, disconnected: 0, paidAtDoor: 0 };
  const today = clock.today();
  let pending: number[] = [];
  let payLater: { accountId: number; on: string }[] = [];
  for (let d = addDays(today, -DAYS); d <= today; d = addDays(d, 1)) {
    if (!isBusinessDay(d)) continue;
    const dayClock = clockOn(d);
    // The field crew works yesterday's disconnect orders on business days: two in three are disconnected, the third pays at the door.
    {
      const paidAtDoor: { accountId: number; amountCents: number; reference: string }[] = [];
      for (const [i, id] of pending.entries()) {
        const order = await serviceOrders.getOrder(db, id);
        if (order.status !== 'created' && order.status !== 'scheduled') continue;
        if (i % 3 === 2 && order.accountId) {
          // Paid in full at the door: the next run closes the case and cancels the order.
          const owed = (await collections.accountCollections(db, dayClock, order.accountId)).balanceCents;
          if (owed > 0) paidAtDoor.push({ accountId: order.accountId, amountCents: owed, reference: `Field collection, order ${order.number}` });
          continue;
        }
        const meter = await premises.meterAt(db, order.servicePointId, order.effectiveDate);
        const last = meter ? await meterReads.lastReadOf(db, meter.id, addDays(order.effectiveDate, 1)) : null;
        await completeOrder(db, actor, id, last ? { read: { reading: last.reading } } : {});
        out.disconnected++;
        // Every other disconnected customer pays up a week later and is reconnected (with the fee) by the next run.
        if (order.accountId && out.disconnected % 2 === 0) payLater.push({ accountId: order.accountId, on: addDays(d, 7) });
      }
      for (const p of payLater.filter((x) => x.on <= d)) {
        const owed = (await collections.accountCollections(db, dayClock, p.accountId)).balanceCents;
        if (owed > 0) paidAtDoor.push({ accountId: p.accountId, amountCents: owed, reference: 'Paid to be reconnected' });
      }
      payLater = payLater.filter((x) => x.on > d);
      if (paidAtDoor.length) {
        await payments.postBatch(db, actor, dayClock, { channel: 'counter', method: 'check', day: d, note: `Demo district: paid at the door or to be reconnected on ${d}`, items: paidAtDoor });
        out.paidAtDoor += paidAtDoor.length;
      }
      pending = [];
    }
    const r = await collections.runCollections(db, actor, dayClock, { ...META, timeZone }, d);
    out.runs++;
    out.actions += r.actions.length;
    pending.push(...r.actions.filter((a) => a.action === 'disconnect_order').flatMap((a) => a.orderIds));
  }
  return out;
}
