import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, IdParams, Nullable, Page, PageQuery, Reason } from '../platform/http/schemas.ts';
import { sendPdf } from '../platform/http/reply.ts';
import { creditorClaimPdf } from './letters.ts';
import * as deceased from './service.ts';

const closed = { additionalProperties: false } as const;
const Status = Type.Union([Type.Literal('open'), Type.Literal('estate_claim'), Type.Literal('transferred'), Type.Literal('closed')]);
const ClaimStatus = Type.Union([Type.Literal('draft'), Type.Literal('filed'), Type.Literal('allowed'), Type.Literal('rejected'), Type.Literal('paid'), Type.Literal('written_off')]);
const Opt = (max = 200) => Type.Optional(Nullable(Type.String({ maxLength: max })));

export const ClaimSchema = Type.Object({
  id: Type.Integer(), caseId: Type.Integer(), accountId: Type.Integer(), accountNumber: Type.String(), customerName: Type.String(), amountCents: Type.Integer(), status: Type.String(),
  deadline: Nullable(Type.String({ description: 'The last day to present the claim: first publication of the probate notice + 4 months' })), dueSoon: Type.Boolean(),
  filedOn: Nullable(Type.String()), decidedOn: Nullable(Type.String()), settledOn: Nullable(Type.String()), writeoffEntryId: Nullable(Type.Integer()), note: Nullable(Type.String()), createdAt: Type.String(),
});
const TransferSchema = Type.Object({
  id: Type.Integer(), fromAccountId: Type.Integer(), survivorCustomerId: Type.Integer(), survivorName: Type.String(), survivorAccountId: Type.Integer(), survivorAccountNumber: Type.String(),
  lastDay: Type.String(), reason: Type.String(), createdAt: Type.String(),
  orders: Type.Array(Type.Object({ id: Type.Integer(), number: Type.String(), type: Type.String(), status: Type.String(), servicePointId: Type.Integer(), effectiveDate: Type.String(), accountId: Nullable(Type.Integer()) })),
});
export const DeceasedCaseSchema = Type.Object({
  id: Type.Integer(), customerId: Type.Integer(), customerName: Type.String(), status: Type.String(), source: Type.String(), dateOfDeath: Nullable(Type.String()), notifiedOn: Type.String(),
  notifiedBy: Nullable(Type.String()), relationship: Nullable(Type.String()), paymentId: Nullable(Type.Integer()),
  estate: Type.Object({
    representativeName: Nullable(Type.String()), representativeAddress: Nullable(Type.String()), representativePhone: Nullable(Type.String()), probateCourt: Nullable(Type.String()),
    probateCaseNumber: Nullable(Type.String()), firstPublicationOn: Nullable(Type.String()), estateAttorney: Nullable(Type.String()), claimDeadline: Nullable(Type.String()),
  }),
  accounts: Type.Array(Type.Object({ accountId: Type.Integer(), accountNumber: Type.String(), status: Type.String(), balanceCents: Type.Integer(), alertId: Nullable(Type.Integer()) })),
  claims: Type.Array(ClaimSchema), transfers: Type.Array(TransferSchema), closedOn: Nullable(Type.String()), closeReason: Nullable(Type.String()), createdAt: Type.String(),
});
const SettingsSchema = Type.Object({ claimMonths: Type.Integer({ minimum: 1, maximum: 36 }), warnDays: Type.Integer({ minimum: 1, maximum: 120 }) });
const Address = Type.Object({ line1: Type.String({ minLength: 1, maxLength: 200 }), line2: Opt(), city: Type.String({ minLength: 1, maxLength: 100 }), state: Type.String({ minLength: 2, maxLength: 2 }), postalCode: Type.String({ minLength: 5, maxLength: 10 }) }, closed);

export function registerDeceasedRoutes(app: App, { db, clock, config }: Deps): void {
  const tags = ['deceased'];
  app.get('/api/v1/deceased/cases', {
    config: { access: 'read' },
    schema: { tags, summary: 'Deceased cases, newest first (open=true: every case not closed)', querystring: Type.Object({ ...PageQuery, status: Type.Optional(Status), open: Type.Optional(Type.Boolean()) }, closed), response: { 200: Page(DeceasedCaseSchema) } },
  }, async (request) => deceased.listCases(db, clock, { status: request.query.status, open: request.query.open, after: request.query.after ?? 0, limit: request.query.limit ?? 50 }));
  app.post('/api/v1/deceased/cases', {
    config: { access: 'csr1' },
    schema: {
      tags, summary: "Record that a customer has died (who told us): a case with a 'deceased' alert on each of the customer's accounts not closed (or those named)",
      body: Type.Object({ customerId: Type.Integer({ minimum: 1 }), accountIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 50 })), dateOfDeath: Type.Optional(Nullable(DateString)), notifiedOn: Type.Optional(DateString), notifiedBy: Type.String({ minLength: 1, maxLength: 200 }), relationship: Opt(100), reason: Reason }, closed),
      response: { 201: DeceasedCaseSchema },
    },
  }, async (request, reply) => reply.code(201).send(await deceased.notify(db, actorOf(request), clock, request.body)));
  app.get('/api/v1/deceased/cases/:id', { config: { access: 'read' }, schema: { tags, summary: 'A deceased case: estate, claims, transfers', params: IdParams, response: { 200: DeceasedCaseSchema } } }, async (request) => deceased.getCase(db, clock, request.params.id));
  app.patch('/api/v1/deceased/cases/:id/estate', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: "Record the estate: personal representative, probate court and case number, the first publication of the probate notice (the claim deadline follows from it), attorney",
      params: IdParams,
      body: Type.Object({ dateOfDeath: Type.Optional(Nullable(DateString)), representativeName: Opt(), representativeAddress: Opt(300), representativePhone: Opt(40), probateCourt: Opt(), probateCaseNumber: Opt(60), firstPublicationOn: Type.Optional(Nullable(DateString)), estateAttorney: Opt(), reason: Reason }, closed),
      response: { 200: DeceasedCaseSchema },
    },
  }, async (request) => {
    const { reason, ...estate } = request.body;
    return deceased.recordEstate(db, actorOf(request), clock, request.params.id, estate, reason);
  });
  app.post('/api/v1/deceased/cases/:id/claims', {
    config: { access: 'csr2' },
    schema: { tags, summary: "A creditor claim against the estate for an account of the case (its balance by default), as a draft", params: IdParams, body: Type.Object({ accountId: Type.Optional(Type.Integer({ minimum: 1 })), amountCents: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })), note: Opt(500), reason: Reason }, closed), response: { 201: ClaimSchema } },
  }, async (request, reply) => reply.code(201).send(await deceased.createClaim(db, actorOf(request), clock, request.params.id, request.body)));
  app.post('/api/v1/deceased/cases/:id/transfer', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: "Move the deceased's service to a survivor (an existing customer or a new one): a new account, and move-out and move-in orders for the field; the balance stays with the estate",
      params: IdParams,
      body: Type.Object({
        accountId: Type.Optional(Type.Integer({ minimum: 1 })), survivorCustomerId: Type.Optional(Type.Integer({ minimum: 1 })),
        survivor: Type.Optional(Type.Object({ kind: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('business')])), firstName: Opt(100), lastName: Opt(100), businessName: Opt(200), phone: Opt(40) }, closed)),
        lastDay: DateString, billingAddress: Type.Optional(Address), reason: Reason,
      }, closed),
      response: { 200: DeceasedCaseSchema },
    },
  }, async (request) => deceased.transferService(db, actorOf(request), clock, request.params.id, request.body));
  app.post('/api/v1/deceased/cases/:id/close', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Close a case (no claim left to file, answer or pay); the alerts end', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: DeceasedCaseSchema } },
  }, async (request) => deceased.closeCase(db, actorOf(request), clock, request.params.id, request.body.reason));
  app.get('/api/v1/deceased/claims', {
    config: { access: 'read' },
    schema: { tags, summary: 'Creditor claims, newest first; due=soon: claims not filed whose deadline is within the warning days (14), soonest first', querystring: Type.Object({ ...PageQuery, status: Type.Optional(ClaimStatus), due: Type.Optional(Type.Literal('soon')) }, closed), response: { 200: Page(ClaimSchema) } },
  }, async (request) => deceased.listClaims(db, clock, { status: request.query.status, due: request.query.due, after: request.query.after ?? 0, limit: request.query.limit ?? 50 }));
  app.get('/api/v1/deceased/claims/:id', { config: { access: 'read' }, schema: { tags, summary: 'A creditor claim', params: IdParams, response: { 200: ClaimSchema } } }, async (request) => deceased.getClaim(db, clock, request.params.id));
  app.post('/api/v1/deceased/claims/:id/file', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Present the claim to the estate on a day (today by default); refused after the deadline, which the refusal names', params: IdParams, body: Type.Object({ filedOn: Type.Optional(DateString), reason: Reason }, closed), response: { 200: ClaimSchema } },
  }, async (request) => deceased.fileClaim(db, actorOf(request), clock, request.params.id, request.body));
  app.post('/api/v1/deceased/claims/:id/outcome', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: "The estate's answer (allowed, rejected) and then the end (paid, or written off: supervisors, what is still owed up to the claim written off)",
      params: IdParams, body: Type.Object({ outcome: Type.Union([Type.Literal('allowed'), Type.Literal('rejected'), Type.Literal('paid'), Type.Literal('written_off')]), on: Type.Optional(DateString), reason: Reason }, closed), response: { 200: ClaimSchema },
    },
  }, async (request) => deceased.stepClaim(db, actorOf(request), clock, request.params.id, request.body));
  app.get('/api/v1/deceased/claims/:id/claim.pdf', {
    config: { access: 'read' },
    schema: { tags, summary: "The creditor's claim to present to the personal representative (PDF)", params: IdParams },
  }, async (request, reply) => sendPdf(reply, `creditor-claim-${request.params.id}.pdf`, await creditorClaimPdf(db, clock, config, request.params.id)));
  app.get('/api/v1/accounts/:id/deceased', {
    config: { access: 'read' },
    schema: { tags, summary: 'The deceased cases an account is or was in, newest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(DeceasedCaseSchema) }) } },
  }, async (request) => ({ items: await deceased.casesOfAccount(db, clock, request.params.id) }));
  app.get('/api/v1/deceased/settings', { config: { access: 'read' }, schema: { tags, summary: 'Deceased settings: the claim period and the warning days', response: { 200: SettingsSchema } } }, async () => deceased.getSettings(db));
  app.patch('/api/v1/deceased/settings', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Change the deceased settings', body: Type.Object({ ...Type.Partial(SettingsSchema).properties, reason: Reason }, closed), response: { 200: SettingsSchema } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return deceased.updateSettings(db, actorOf(request), clock, patch, reason);
  });
}
