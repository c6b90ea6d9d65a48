import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, IdParams, Nullable, PageQuery, Reason, toPage } from '../platform/http/schemas.ts';
import * as ledger from './service.ts';

const closed = { additionalProperties: false } as const;
const ServiceKind = Type.Enum(['electric', 'water', 'fiber'] as const);
export const LedgerEntrySchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), entryDate: Type.String(), kind: Type.String(), service: Nullable(Type.String()),
  amountCents: Type.Integer({ description: 'Positive: the customer owes more; negative: less' }), taxCents: Type.Integer(),
  billId: Nullable(Type.Integer()), paymentId: Nullable(Type.Integer()), reversesId: Nullable(Type.Integer()), reasonCode: Nullable(Type.String()), reason: Nullable(Type.String()), createdAt: Type.String(),
});
const Adjusted = Type.Object({ entry: LedgerEntrySchema, balanceCents: Type.Integer(), replayed: Type.Boolean() });

export function registerLedgerRoutes(app: App, { db, clock }: Deps): void {
  const tags = ['ledger'];

  app.get('/api/v1/accounts/:id/ledger', {
    config: { access: 'read' },
    schema: {
      tags, summary: "An account's ledger entries (oldest first, or newest first with order=newest) and its balance", params: IdParams,
      querystring: Type.Object({ ...PageQuery, order: Type.Optional(Type.Enum(['oldest', 'newest'] as const)) }, closed),
      response: { 200: Type.Object({ items: Type.Array(LedgerEntrySchema), next: Nullable(Type.Integer()), balanceCents: Type.Integer() }) },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const page = toPage(await ledger.entriesOf(db, { accountId: request.params.id, after: request.query.after ?? 0, limit, newestFirst: request.query.order === 'newest' }), limit);
    return { ...page, balanceCents: await ledger.balanceOf(db, request.params.id) };
  });

  app.post('/api/v1/accounts/:id/adjustments', {
    config: { access: 'csr1' },
    schema: {
      tags, summary: "A manual adjustment with a reason code, within the role's approval limit (idempotent with a key)", params: IdParams,
      body: Type.Object({
        amountCents: Type.Integer({ description: 'Positive charges the customer, negative credits' }), service: Type.Optional(Nullable(ServiceKind)),
        reasonCode: Type.String({ maxLength: 40 }), reason: Reason, entryDate: Type.Optional(DateString), idempotencyKey: Type.Optional(Type.String({ minLength: 8, maxLength: 200 })),
      }, closed),
      response: { 200: Adjusted, 201: Adjusted },
    },
  }, async (request, reply) => {
    const { entryDate, ...rest } = request.body;
    const result = await ledger.adjust(db, actorOf(request), clock, { ...rest, accountId: request.params.id, entryDate: entryDate ?? clock.today() });
    return reply.status(result.replayed ? 200 : 201).send(result);
  });

  app.post('/api/v1/ledger-entries/:id/reverse', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Reverse a ledger entry with an equal and opposite entry that points at it', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 201: LedgerEntrySchema } },
  }, async (request, reply) => reply.status(201).send(await ledger.reverse(db, actorOf(request), clock, request.params.id, request.body.reason, clock.today())));

  app.get('/api/v1/adjustment-reasons', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'Adjustment reason codes and the approval limit of each role',
      response: { 200: Type.Object({ reasons: Type.Array(Type.Object({ code: Type.String(), description: Type.String() })), limits: Type.Array(Type.Object({ role: Type.String(), limitCents: Type.Integer() })) }) },
    },
  }, async () => ({ reasons: await ledger.adjustmentReasons(db), limits: await ledger.approvalLimits(db) }));
}
