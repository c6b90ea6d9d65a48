import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export interface AuditEventsTable {
  id: import('kysely').Generated<number>;
  occurred_at: import('kysely').Generated<Date>;
  user_id: number | null;
  username: string;
  action: string;
  entity_type: string;
  entity_id: string;
  account_id: number | null;
  before: unknown;
  after: unknown;
  reason: string;
  request_id: string | null;
}
export type AuditTables = {
  audit_events: AuditEventsTable;
};
export type AuditEventRow = Selectable<AuditEventsTable>;

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

export async function insertAuditEvent(db: Db, event: Insertable<AuditEventsTable>): Promise<void> {
  await db
    .withTables<AuditTables>()
    .insertInto('audit_events')
    .values({ ...event, before: json(event.before), after: json(event.after) })
    .execute();
}

export interface AuditQuery {
  accountId?: number;
  userId?: number;
  entityType?: string;
  entityId?: string;
  before?: number;
  limit: number;
}

export async function listAuditEvents(db: Db, q: AuditQuery): Promise<AuditEventRow[]> {
  let query = db.withTables<AuditTables>().selectFrom('audit_events').selectAll();
  if (q.accountId !== undefined) query = query.where('account_id', '=', q.accountId);
  if (q.userId !== undefined) query = query.where('user_id', '=', q.userId);
  if (q.entityType !== undefined) query = query.where('entity_type', '=', q.entityType);
  if (q.entityId !== undefined) query = query.where('entity_id', '=', q.entityId);
  if (q.before !== undefined) query = query.where('id', '<', q.before);
  return query.orderBy('id', 'desc').limit(q.limit).execute();
}
