import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, IdParams, Nullable, Page, PageQuery, Reason } from '../platform/http/schemas.ts';
import { sendPdf } from '../platform/http/reply.ts';
import { depositLetterPdf } from './letters.ts';
import * as deposits from './service.ts';

const closed = { additionalProperties: false } as const;
const Json = Type.Unknown();
const Status = Type.Union([Type.Literal('billing'), Type.Literal('held'), Type.Literal('returned'), Type.Literal('applied'), Type.Literal('cancelled')]);
export const DepositSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), status: Type.String(), amountCents: Type.Integer(), heldCents: Type.Integer(),
  instalments: Type.Array(Type.Object({ n: Type.Integer(), amountCents: Type.Integer(), dueOn: Type.String(), billedOn: Nullable(Type.String()), paidOn: Nullable(Type.String()), cancelledCents: Type.Integer() })),
  rule: Type.String(), ruleDetail: Type.String(), requestedOn: Type.String(), paidOn: Nullable(Type.String()), closedOn: Nullable(Type.String()),
  interestCents: Type.Integer(), accruedInterestCents: Type.Integer(), events: Type.Array(Json),
});
const SettingsSchema = Type.Object({
  capTwelfths: Type.Integer({ minimum: 1, maximum: 12 }), maxInstalments: Type.Integer({ minimum: 1, maximum: 12 }), goodPaymentMonths: Type.Integer({ minimum: 1 }),
  requireWithoutHistory: Type.Boolean(), returnedPaymentsInYear: Type.Integer({ minimum: 1 }), disconnectMonths: Type.Integer({ minimum: 1 }), dueDays: Type.Integer({ minimum: 1 }),
  releaseBy: Type.Union([Type.Literal('credit'), Type.Literal('refund')]),
});

export function registerDepositRoutes(app: App, { db, clock, config }: Deps): void {
  const tags = ['deposits'];
  app.get('/api/v1/accounts/:id/security-deposit/evaluation', {
    config: { access: 'read' },
    schema: { tags, summary: "Whether the account's credit history calls for a deposit (the rule and its facts) and the most it may be (2/12 of the estimated annual bill)", params: IdParams, response: { 200: Type.Object({ accountId: Type.Integer(), decision: Type.Object({ required: Type.Boolean(), rule: Type.String(), detail: Type.String() }), annualCents: Nullable(Type.Integer()), capCents: Nullable(Type.Integer()), maxInstalments: Type.Integer() }) } },
  }, async (request) => deposits.evaluate(db, clock, request.params.id));
  app.get('/api/v1/accounts/:id/security-deposits', {
    config: { access: 'read' },
    schema: { tags, summary: "An account's deposits, newest first, with instalments, interest and events", params: IdParams, response: { 200: Type.Object({ items: Type.Array(DepositSchema) }) } },
  }, async (request) => ({ items: await deposits.depositsOfAccount(db, clock, request.params.id) }));
  app.post('/api/v1/accounts/:id/security-deposits', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: 'Ask the account for a deposit (the cap by default) in instalments; the first is billed today', params: IdParams,
      body: Type.Object({ amountCents: Type.Optional(Type.Integer({ minimum: 1 })), instalments: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })), reason: Reason }, closed), response: { 201: DepositSchema },
    },
  }, async (request, reply) => reply.code(201).send(await deposits.requireDeposit(db, actorOf(request), clock, { accountId: request.params.id, ...request.body })));
  app.get('/api/v1/security-deposits', {
    config: { access: 'read' },
    schema: { tags, summary: 'Deposits, newest first', querystring: Type.Object({ ...PageQuery, status: Type.Optional(Status) }, closed), response: { 200: Page(Json) } },
  }, async (request) => deposits.listDeposits(db, { status: request.query.status, after: request.query.after ?? 0, limit: request.query.limit ?? 50 }));
  app.get('/api/v1/security-deposits/:id', { config: { access: 'read' }, schema: { tags, summary: 'A deposit', params: IdParams, response: { 200: DepositSchema } } }, async (request) => deposits.getDeposit(db, clock, request.params.id));
  app.post('/api/v1/security-deposits/:id/return', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Return a deposit now with its interest (credited to the account, or refunded as the settings say)', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: DepositSchema } },
  }, async (request) => deposits.closeDeposit(db, actorOf(request), clock, request.params.id, 'returned', request.body.reason));
  app.post('/api/v1/security-deposits/:id/apply', {
    config: { access: 'csr2' },
    schema: { tags, summary: "Apply a deposit and its interest to the account's balance now (a closing account); credit left is refunded", params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: DepositSchema } },
  }, async (request) => deposits.closeDeposit(db, actorOf(request), clock, request.params.id, 'applied', request.body.reason));
  app.get('/api/v1/security-deposits/events/:id/letter.pdf', {
    config: { access: 'read' },
    schema: { tags, summary: 'The customer letter of a deposit event (asked, returned, applied to the final bill)', params: IdParams },
  }, async (request, reply) => sendPdf(reply, `deposit-letter-${request.params.id}.pdf`, await depositLetterPdf(db, clock, config, request.params.id)));
  app.post('/api/v1/security-deposits/run', {
    config: { access: 'supervisor' },
    schema: { tags, summary: "Today's deposit job: bill instalments due, note those paid, apply the deposits of ended accounts, return those held through the good-payment months; a second run finds nothing", body: Type.Object({}, closed), response: { 200: Type.Object({ date: Type.String(), billed: Type.Integer(), paid: Type.Integer(), returned: Type.Integer(), applied: Type.Integer(), deposits: Type.Array(Json) }) } },
  }, async (request) => deposits.run(db, actorOf(request), clock));
  app.get('/api/v1/security-deposits/settings', { config: { access: 'read' }, schema: { tags, summary: 'Deposit rules and the interest rates', response: { 200: Type.Object({ ...SettingsSchema.properties, interestRates: Type.Array(Type.Object({ effectiveFrom: Type.String(), percent: Type.String() })) }) } } }, async () => deposits.getSettings(db));
  app.patch('/api/v1/security-deposits/settings', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Change the deposit rules', body: Type.Object({ ...Type.Partial(SettingsSchema).properties, reason: Reason }, closed), response: { 200: SettingsSchema } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return deposits.updateSettings(db, actorOf(request), clock, patch, reason);
  });
  app.post('/api/v1/security-deposits/interest-rates', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Set the yearly interest rate on deposits from a day', body: Type.Object({ effectiveFrom: DateString, percent: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' }), reason: Reason }, closed), response: { 200: Json } },
  }, async (request) => deposits.setInterestRate(db, actorOf(request), clock, request.body, request.body.reason));
}
