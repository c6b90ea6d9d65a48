import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { sendPdf } from '../platform/http/reply.ts';
import { actorOf, IdParams, Nullable, Page, PageQuery, Reason } from '../platform/http/schemas.ts';
import { letterPdf } from './letters.ts';
import * as budget from './service.ts';

const closed = { additionalProperties: false } as const;
const Json = Type.Unknown();
const Month = Type.Integer({ minimum: 1, maximum: 12, description: 'A month, 1-12' });
export const BudgetPlanSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), status: Type.String(), monthlyCents: Type.Integer(), enrolledOn: Type.String(), settleMonth: Type.Integer(),
  nextReviewOn: Type.String(), assistanceEligible: Type.Boolean(), endedOn: Nullable(Type.String()), endReason: Nullable(Type.String()),
  deferredCents: Type.Integer({ description: 'The bills beyond the budget amounts charged so far (negative: paid ahead)' }),
});
const EventSchema = Type.Object({
  id: Type.Integer(), planId: Type.Integer(), kind: Type.String(), onDate: Type.String(), monthlyBeforeCents: Nullable(Type.Integer()), monthlyAfterCents: Nullable(Type.Integer()),
  deferredCents: Type.Integer(), detail: Json, reason: Type.String(), createdAt: Type.String(),
});
const PlanWithEvents = Type.Object({ ...BudgetPlanSchema.properties, events: Type.Array(EventSchema) });
const MonthSchema = Type.Object({ month: Type.String(), usage: Nullable(Type.String()), estimated: Type.Boolean(), cents: Type.Integer() });
const QuoteSchema = Type.Object({
  accountId: Type.Integer(), asOf: Type.String(), eligible: Type.Boolean(), failure: Nullable(Type.Object({ rule: Type.String(), message: Type.String() })), assistanceEligible: Type.Boolean(),
  annualCents: Type.Integer(), monthlyCents: Type.Integer(), settleMonth: Type.Integer(), estimatedMonths: Type.Integer(),
  agreements: Type.Array(Type.Object({ agreementId: Type.Integer(), service: Type.String(), rateCode: Type.String(), annualCents: Type.Integer(), estimatedMonths: Type.Integer(), months: Type.Array(MonthSchema) })),
});
const SettingsSchema = Type.Object({
  reviewMonths: Type.Integer({ minimum: 1, maximum: 12 }), relevelPercent: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' }), roundToCents: Type.Integer({ minimum: 1 }),
  minOccupancyMonths: Type.Integer({ minimum: 0 }), enrolMonths: Type.Array(Month), delinquentDays: Type.Integer({ minimum: 1 }), dueDays: Type.Integer({ minimum: 1 }),
});

export function registerBudgetRoutes(app: App, { db, clock, config }: Deps): void {
  const tags = ['budget billing'];

  app.get('/api/v1/accounts/:id/budget', {
    config: { access: 'read' },
    schema: { tags, summary: "An account's budget plan (with its events and letters) and its ended plans", params: IdParams, response: { 200: Type.Object({ plan: Nullable(BudgetPlanSchema), events: Type.Array(EventSchema), history: Type.Array(BudgetPlanSchema) }) } },
  }, async (request) => budget.planOfAccount(db, request.params.id));

  app.get('/api/v1/accounts/:id/budget/quote', {
    config: { access: 'read' },
    schema: {
      tags, summary: "What the account's budget amount would be today (a year of its use at today's rates) and whether it may enrol, with the rule it fails",
      params: IdParams, querystring: Type.Object({ assistanceEligible: Type.Optional(Type.Boolean()), settleMonth: Type.Optional(Month) }, closed), response: { 200: QuoteSchema },
    },
  }, async (request) => budget.quote(db, clock, request.params.id, request.query));

  app.post('/api/v1/accounts/:id/budget', {
    config: { access: 'csr1' },
    schema: {
      tags, summary: 'Put an account on budget billing (refused, with the rule that failed, when it is not eligible)', params: IdParams,
      body: Type.Object({ assistanceEligible: Type.Optional(Type.Boolean({ description: 'The customer is eligible for low-income energy assistance: the occupancy and month rules do not apply' })), settleMonth: Type.Optional(Month), reason: Reason }, closed),
      response: { 201: PlanWithEvents },
    },
  }, async (request, reply) => reply.code(201).send(await budget.enrol(db, actorOf(request), clock, { accountId: request.params.id, assistanceEligible: request.body.assistanceEligible, settleMonth: request.body.settleMonth }, request.body.reason)));

  app.get('/api/v1/budget/plans', {
    config: { access: 'read' },
    schema: { tags, summary: 'Budget plans, newest first', querystring: Type.Object({ ...PageQuery, status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('ended')])) }, closed), response: { 200: Page(Type.Object({ ...BudgetPlanSchema.properties, accountNumber: Type.String(), customerName: Type.String() })) } },
  }, async (request) => budget.listPlans(db, { status: request.query.status, after: request.query.after ?? 0, limit: request.query.limit ?? 50 }));

  app.get('/api/v1/budget/plans/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'A budget plan and its events', params: IdParams, response: { 200: PlanWithEvents } },
  }, async (request) => budget.getPlan(db, request.params.id));

  app.post('/api/v1/budget/plans/:id/end', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'End a budget plan at the customer\'s request: the deferred balance falls due', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: PlanWithEvents } },
  }, async (request) => budget.endPlan(db, actorOf(request), clock, request.params.id, 'request', request.body.reason));

  app.post('/api/v1/budget/plans/:id/relevel', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Set a plan\'s amount again now from a year at today\'s rates and the deferred balance', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: PlanWithEvents } },
  }, async (request) => budget.relevelPlan(db, actorOf(request), clock, request.params.id, request.body.reason));

  app.get('/api/v1/budget/events/:id/letter.pdf', {
    config: { access: 'read' },
    schema: { tags, summary: 'The customer letter of a budget-billing event (enrolment, new amount, settle-up, review, end)', params: IdParams },
  }, async (request, reply) => sendPdf(reply, `budget-letter-${request.params.id}.pdf`, await letterPdf(db, clock, config, request.params.id)));

  app.post('/api/v1/budget/review', {
    config: { access: 'supervisor' },
    schema: {
      tags, summary: "Today's budget job: end the plans delinquent beyond the set days and review the plans due (re-levelling those whose deferred balance drifted); a second run the same day finds nothing",
      body: Type.Object({}, closed),
      response: { 200: Type.Object({ date: Type.String(), reviewed: Type.Integer(), relevelled: Type.Integer(), unchanged: Type.Integer(), endedForDelinquency: Type.Integer(), plans: Type.Array(Json), errors: Type.Array(Type.Object({ planId: Type.Integer(), message: Type.String() })) }) },
    },
  }, async (request) => budget.review(db, actorOf(request), clock));

  app.get('/api/v1/budget/settings', {
    config: { access: 'read' },
    schema: { tags, summary: 'Budget billing rules: review interval, re-levelling threshold, rounding, eligibility, delinquency', response: { 200: SettingsSchema } },
  }, async () => budget.getSettings(db));

  app.patch('/api/v1/budget/settings', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Change the budget billing rules', body: Type.Object({ ...Type.Partial(SettingsSchema).properties, reason: Reason }, closed), response: { 200: SettingsSchema } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return budget.updateSettings(db, actorOf(request), clock, patch, reason);
  });
}
