import { sql, type Generated, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export type OrderType = 'move_in' | 'move_out' | 'meter_exchange' | 'meter_test' | 'check_read' | 'disconnect' | 'reconnect' | 'tamper_investigation';
export type OrderStatus = 'created' | 'scheduled' | 'held' | 'completed' | 'cancelled';

export interface ServiceOrdersTable {
  id: Generated<number>;
  order_type: OrderType;
  status: OrderStatus;
  group_id: number | null;
  group_kind: 'transfer' | null;
  account_id: number | null;
  service_point_id: number;
  meter_id: number | null;
  effective_date: string;
  scheduled_for: string | null;
  crew: string | null;
  priority: Generated<'normal' | 'urgent'>;
  reason: string;
  instructions: string | null;
  request: Generated<unknown>;
  field_data: unknown;
  field_data_hash: string | null;
  result: unknown;
  source: Generated<'staff' | 'api' | 'collections' | 'tamper'>;
  idempotency_key: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  completed_at: Date | null;
  completed_by: number | null;
  cancelled_at: Date | null;
  cancelled_by: number | null;
  cancel_reason: string | null;
}
export interface OrderExceptionsTable {
  id: Generated<number>;
  order_id: number;
  check_code: string;
  message: string;
  status: Generated<'open' | 'overridden' | 'cleared'>;
  resolved_by: number | null;
  resolved_at: Date | null;
  resolution_reason: string | null;
  created_at: Generated<Date>;
}
export type ServiceOrderTables = { service_orders: ServiceOrdersTable; order_exceptions: OrderExceptionsTable };
export type OrderRow = Selectable<ServiceOrdersTable>;
export type OrderExceptionRow = Selectable<OrderExceptionsTable>;

const t = (db: Db) => db.withTables<ServiceOrderTables>();

export const insertOrder = (db: Db, row: Insertable<ServiceOrdersTable>) => t(db).insertInto('service_orders').values(row).returningAll().executeTakeFirstOrThrow();
export const findOrder = (db: Db, id: number) => t(db).selectFrom('service_orders').selectAll().where('id', '=', id).executeTakeFirst();
export const findOrderForUpdate = (db: Db, id: number) => t(db).selectFrom('service_orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const findOrderByKey = (db: Db, key: string) => t(db).selectFrom('service_orders').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
export const updateOrder = (db: Db, id: number, patch: Updateable<ServiceOrdersTable>) =>
  t(db).updateTable('service_orders').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export const ordersOfGroup = (db: Db, groupId: number) => t(db).selectFrom('service_orders').selectAll().where('group_id', '=', groupId).orderBy('id').execute();
export const nextGroupId = async (db: Db) => (await sql<{ id: number }>`select coalesce(max(group_id), 0) + 1 as id from service_orders`.execute(db)).rows[0]!.id;

export interface OrderListQuery {
  after: number;
  limit: number;
  status?: OrderStatus[];
  type?: OrderType;
  accountId?: number;
  servicePointId?: number;
  route?: string;
  date?: string;
  /** Newest first: `after` is then the id to go below. */
  newestFirst?: boolean;
}

/** Orders with the premise, route, meter and account that lists and work lists show. */
export async function listOrders(db: Db, q: OrderListQuery) {
  const { rows } = await sql<OrderListRow>`
    select o.*, sp.service, sp.route, sp.location_note, p.line1 || coalesce(' ' || p.line2, '') || ', ' || p.city as address, p.id as premise_id,
           m.serial as meter_serial, m.dials as meter_dials, a.account_number, c.display_name as customer_name,
           (select count(*)::int from order_exceptions e where e.order_id = o.id and e.status = 'open') as open_exceptions
      from service_orders o
      join service_points sp on sp.id = o.service_point_id
      join premises p on p.id = sp.premise_id
      left join meters m on m.id = o.meter_id
      left join accounts a on a.id = o.account_id
      left join customers c on c.id = a.customer_id
     where ${q.newestFirst ? (q.after > 0 ? sql`o.id < ${q.after}` : sql`true`) : sql`o.id > ${q.after}`}
       ${q.status ? sql`and o.status = any(${q.status}::text[])` : sql``}
       ${q.type ? sql`and o.order_type = ${q.type}` : sql``}
       ${q.accountId ? sql`and o.account_id = ${q.accountId}` : sql``}
       ${q.servicePointId ? sql`and o.service_point_id = ${q.servicePointId}` : sql``}
       ${q.route ? sql`and sp.route = ${q.route}` : sql``}
       ${q.date ? sql`and coalesce(o.scheduled_for, o.effective_date) = ${q.date}` : sql``}
     order by ${q.newestFirst ? sql`o.id desc` : sql`o.id`}
     limit ${q.limit}`.execute(db);
  return rows;
}
export type OrderListRow = OrderRow & {
  service: 'electric' | 'water' | 'fiber';
  route: string | null;
  location_note: string | null;
  address: string;
  premise_id: number;
  meter_serial: string | null;
  meter_dials: number | null;
  account_number: string | null;
  customer_name: string | null;
  open_exceptions: number;
};

export const insertExceptions = (db: Db, rows: Insertable<OrderExceptionsTable>[]) =>
  rows.length === 0 ? Promise.resolve([]) : t(db).insertInto('order_exceptions').values(rows).returningAll().execute();
export const exceptionsOfOrder = (db: Db, orderId: number) => t(db).selectFrom('order_exceptions').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
export const resolveOpenExceptions = (db: Db, orderId: number, status: 'overridden' | 'cleared', by: number | null, reason: string) =>
  t(db).updateTable('order_exceptions').set({ status, resolved_by: by, resolved_at: new Date(), resolution_reason: reason })
    .where('order_id', '=', orderId).where('status', '=', 'open').returningAll().execute();

/** The order-exceptions queue: open findings, oldest first, with the order they hold. */
export async function openExceptions(db: Db, q: { after: number; limit: number }) {
  const { rows } = await sql<OrderExceptionRow & { order_type: OrderType; effective_date: string; account_id: number | null; account_number: string | null; address: string; service: string }>`
    select e.*, o.order_type, o.effective_date, o.account_id, a.account_number, p.line1 || ', ' || p.city as address, sp.service
      from order_exceptions e
      join service_orders o on o.id = e.order_id
      join service_points sp on sp.id = o.service_point_id
      join premises p on p.id = sp.premise_id
      left join accounts a on a.id = o.account_id
     where e.status = 'open' and e.id > ${q.after}
     order by e.id limit ${q.limit}`.execute(db);
  return rows;
}
