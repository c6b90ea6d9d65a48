/** Chooses the open orders for a day's field work list and hands them to the printers in work-list.ts. */
import { meterReads } from '../meter-read/index.ts';
import type { Db } from '../platform/db/database.ts';
import * as repo from './repository.ts';
import { orderNumber } from './service.ts';
import { workListCsv, workListPdf, type WorkListOrder } from './work-list.ts';

export async function workListFor(db: Db, q: { date: string; route?: string }) {
  const rows: repo.OrderListRow[] = [];
  // Every open order of the day, page by page.
  for (let after = 0; ; ) {
    const page = await repo.listOrders(db, { after, limit: 500, status: ['created', 'scheduled'], date: q.date, route: q.route });
    rows.push(...page);
    if (page.length < 500) break;
    after = page.at(-1)!.id;
  }
  const orders: WorkListOrder[] = [];
  for (const r of rows) {
    const last = r.meter_id ? await meterReads.lastReadOf(db, r.meter_id, q.date) : null;
    orders.push({
      orderId: r.id,
      orderNumber: orderNumber(r.id),
      type: r.order_type,
      scheduledFor: r.scheduled_for ?? r.effective_date,
      route: r.route,
      premiseAddress: r.address,
      service: r.service,
      meterSerial: r.meter_serial,
      meterDials: r.meter_dials,
      lastRead: last ? { date: last.readDate, reading: last.reading } : null,
      accountNumber: r.account_number,
      customerName: r.customer_name,
      instructions: r.instructions,
      locationNote: r.location_note,
      priority: r.priority,
    });
  }
  return {
    orders,
    csv: () => workListCsv(orders),
    pdf: (meta: { utilityName: string; generatedAt: Date; timeZone: string }) => workListPdf(orders, { ...meta, route: q.route ?? null, date: q.date }),
  };
}
