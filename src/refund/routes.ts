import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, IdParams, Nullable, Page, PageQuery, Reason } from '../platform/http/schemas.ts';
import * as refunds from './service.ts';

const closed = { additionalProperties: false } as const;
const Kind = Type.Union([Type.Literal('credit_balance'), Type.Literal('deposit'), Type.Literal('solar')]);
const Status = Type.Union([Type.Literal('requested'), Type.Literal('approved'), Type.Literal('exported'), Type.Literal('returned'), Type.Literal('cancelled')]);
export const RefundSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), kind: Type.String(), amountCents: Type.Integer(), status: Type.String(), payeeName: Type.String(),
  payeeAddress: Type.Object({ line1: Type.String(), line2: Nullable(Type.String()), city: Type.String(), state: Type.String(), postalCode: Type.String() }),
  reason: Type.String(), depositId: Nullable(Type.Integer()), requestedAt: Type.String(), approvedAt: Nullable(Type.String()), exportId: Nullable(Type.Integer()),
  returnedOn: Nullable(Type.String()), closedReason: Nullable(Type.String()),
});
const ExportSchema = Type.Object({ id: Type.Integer(), fileName: Type.String(), body: Type.String(), refunds: Type.Integer(), totalCents: Type.Integer(), createdAt: Type.String() });
const SettingsSchema = Type.Object({
  approvalLimitCents: Type.Integer({ minimum: 0 }), solarCentsPerKwh: Nullable(Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' })),
  exportColumns: Type.Array(Type.String(), { minItems: 1 }), exportHeader: Type.Boolean(), vendorId: Type.String({ minLength: 1, maxLength: 40 }),
});

export function registerRefundRoutes(app: App, { db, clock, config }: Deps): void {
  const tags = ['refunds'];
  app.get('/api/v1/accounts/:id/refunds', {
    config: { access: 'read' },
    schema: { tags, summary: "An account's refunds, newest first, and the credit it has to refund", params: IdParams, response: { 200: Type.Object({ items: Type.Array(RefundSchema), creditAvailableCents: Type.Integer() }) } },
  }, async (request) => ({ items: await refunds.refundsOfAccount(db, request.params.id), creditAvailableCents: await refunds.creditAvailable(db, request.params.id) }));
  app.post('/api/v1/accounts/:id/refunds', {
    config: { access: 'csr1' },
    schema: {
      tags, summary: "Ask for a refund of the account's credit (all of it by default); refused above the credit available. Within the approval limit it is approved at once; above, a supervisor approves it",
      params: IdParams, body: Type.Object({ kind: Type.Optional(Kind), amountCents: Type.Optional(Type.Integer({ minimum: 1 })), reason: Reason }, closed), response: { 201: RefundSchema },
    },
  }, async (request, reply) => reply.code(201).send(await refunds.requestRefund(db, actorOf(request), clock, { accountId: request.params.id, ...request.body })));
  app.post('/api/v1/accounts/:id/refunds/solar', {
    config: { access: 'csr2' },
    schema: { tags, summary: "Pay out a net-metering credit under the district's policy: kWh at the set rate credited and refunded", params: IdParams, body: Type.Object({ kwh: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' }), reason: Reason }, closed), response: { 201: RefundSchema } },
  }, async (request, reply) => reply.code(201).send(await refunds.requestSolarRefund(db, actorOf(request), clock, { accountId: request.params.id, ...request.body })));
  app.get('/api/v1/refunds', {
    config: { access: 'read' },
    schema: { tags, summary: 'Refunds, newest first', querystring: Type.Object({ ...PageQuery, status: Type.Optional(Status) }, closed), response: { 200: Page(Type.Object({ ...RefundSchema.properties, accountNumber: Type.String() })) } },
  }, async (request) => refunds.listRefunds(db, { status: request.query.status, after: request.query.after ?? 0, limit: request.query.limit ?? 50 }));
  app.get('/api/v1/refunds/:id', { config: { access: 'read' }, schema: { tags, summary: 'A refund', params: IdParams, response: { 200: RefundSchema } } }, async (request) => refunds.getRefund(db, request.params.id));
  app.post('/api/v1/refunds/:id/approve', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'Approve a refund (above the approval limit: supervisors only); the credit leaves the account', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: RefundSchema } },
  }, async (request) => refunds.approveRefund(db, actorOf(request), clock, request.params.id, request.body.reason));
  app.post('/api/v1/refunds/:id/cancel', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Cancel a refund not yet exported (an approved one puts the credit back)', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: RefundSchema } },
  }, async (request) => refunds.cancelRefund(db, actorOf(request), clock, request.params.id, request.body.reason));
  app.post('/api/v1/refunds/:id/returned', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'The refund check came back from the post office: the credit goes back on the account, which is flagged', params: IdParams, body: Type.Object({ returnedOn: DateString, reason: Reason }, closed), response: { 200: RefundSchema } },
  }, async (request) => refunds.returnRefund(db, actorOf(request), clock, request.params.id, request.body));
  app.post('/api/v1/refunds/exports', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'The accounts-payable file of every approved refund not yet sent (each refund goes in one file only)', body: Type.Object({}, closed), response: { 200: Type.Object({ export: Nullable(ExportSchema) }) } },
  }, async (request) => ({ export: await refunds.exportRefunds(db, actorOf(request), clock, config.timeZone) }));
  app.get('/api/v1/refunds/exports', {
    config: { access: 'read' },
    schema: { tags, summary: 'Accounts-payable files made, newest first', response: { 200: Type.Object({ items: Type.Array(Type.Omit(ExportSchema, ['body'])) }) } },
  }, async () => ({ items: await refunds.listExports(db) }));
  app.get('/api/v1/refunds/exports/:id/file', {
    config: { access: 'read' },
    schema: { tags, summary: 'An accounts-payable file as it was made (CSV)', params: IdParams },
  }, async (request, reply) => {
    const e = await refunds.getExport(db, request.params.id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${e.fileName}"`).send(e.body);
  });
  app.get('/api/v1/refunds/settings', { config: { access: 'read' }, schema: { tags, summary: 'Refund rules: approval limit, solar payout rate, export layout', response: { 200: SettingsSchema } } }, async () => refunds.getSettings(db));
  app.patch('/api/v1/refunds/settings', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Change the refund rules', body: Type.Object({ ...Type.Partial(SettingsSchema).properties, reason: Reason }, closed), response: { 200: SettingsSchema } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return refunds.updateSettings(db, actorOf(request), clock, patch, reason);
  });
}
