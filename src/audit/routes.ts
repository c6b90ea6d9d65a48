import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { auditTrail } from './service.ts';

export const AuditEventSchema = Type.Object({
  id: Type.Integer(),
  occurredAt: Type.String(),
  userId: Type.Union([Type.Integer(), Type.Null()]),
  username: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  accountId: Type.Union([Type.Integer(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  reason: Type.String(),
});
export const AuditPage = Type.Object({ items: Type.Array(AuditEventSchema), next: Type.Union([Type.Integer(), Type.Null()]) });
export const auditPaging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'Cursor: the `next` value of the previous page (newest first)' })),
};
const tags = ['audit'];

export function registerAuditRoutes(app: App, { db }: Deps): void {
  app.get('/api/v1/audit', {
    config: { access: 'audit' },
    schema: {
      tags,
      summary: 'The audit trail, newest first, filtered by account, user or record',
      querystring: Type.Object({
        ...auditPaging,
        accountId: Type.Optional(Type.Integer({ minimum: 1 })),
        userId: Type.Optional(Type.Integer({ minimum: 1 })),
        entityType: Type.Optional(Type.String({ maxLength: 60 })),
        entityId: Type.Optional(Type.String({ maxLength: 60 })),
      }, { additionalProperties: false }),
      response: { 200: AuditPage },
    },
  }, async (request) => auditTrail(db, { ...request.query, limit: request.query.limit ?? 50 }));
}
