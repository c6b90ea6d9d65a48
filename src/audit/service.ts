import type { Actor } from '../platform/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { insertAuditEvent, listAuditEvents, type AuditEventRow, type AuditQuery } from './repository.ts';

export interface AuditChange {
  action: 'create' | 'update' | 'delete' | string;
  entityType: string;
  entityId: string | number;
  accountId?: number | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason: string;
}

/**
 * Records one change. Call it with the transaction that makes the change, so the change and its
 * record commit or roll back together. For an update only the fields that changed are kept.
 */
export async function recordChange(db: Db, actor: Actor, change: AuditChange): Promise<void> {
  let before = change.before ?? null;
  let after = change.after ?? null;
  if (before && after) [before, after] = changedFields(before, after);
  await insertAuditEvent(db, {
    user_id: actor.userId,
    username: actor.username,
    action: change.action,
    entity_type: change.entityType,
    entity_id: String(change.entityId),
    account_id: change.accountId ?? null,
    before,
    after,
    reason: change.reason,
    request_id: actor.requestId ?? null,
  });
}

export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): [Record<string, unknown>, Record<string, unknown>] {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === 'updated_at' || key === 'updatedAt') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return [b, a];
}

export interface AuditEvent {
  id: number;
  occurredAt: string;
  userId: number | null;
  username: string;
  action: string;
  entityType: string;
  entityId: string;
  accountId: number | null;
  before: unknown;
  after: unknown;
  reason: string;
}

const toEvent = (r: AuditEventRow): AuditEvent => ({
  id: r.id,
  occurredAt: r.occurred_at.toISOString(),
  userId: r.user_id,
  username: r.username,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  accountId: r.account_id,
  before: r.before,
  after: r.after,
  reason: r.reason,
});

export async function auditTrail(db: Db, q: AuditQuery): Promise<{ items: AuditEvent[]; next: number | null }> {
  const rows = await listAuditEvents(db, { ...q, limit: q.limit + 1 });
  const items = rows.slice(0, q.limit).map(toEvent);
  return { items, next: rows.length > q.limit ? items[items.length - 1]!.id : null };
}
