import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, IdParams, Nullable, Page, PageQuery, Reason } from '../platform/http/schemas.ts';
import * as bankruptcy from './service.ts';

const closed = { additionalProperties: false } as const;
const Status = Type.Union([Type.Literal('open'), Type.Literal('discharged'), Type.Literal('dismissed'), Type.Literal('closed')]);
const Text = (max = 200) => Type.String({ minLength: 1, maxLength: max });

const SplitSchema = Type.Object({
  petitionDate: Type.String(), balanceBeforeCents: Type.Integer(), prePetitionCents: Type.Integer(), heldCents: Type.Integer(), balanceCents: Type.Integer(), postPetitionCents: Type.Integer(),
  derivation: Type.String(),
  bills: Type.Array(Type.Object({ billId: Type.Integer(), service: Type.String(), periodFrom: Type.String(), periodTo: Type.String(), billDate: Type.String(), totalCents: Type.Integer(), periodDays: Type.Integer(), daysBefore: Type.Integer(), prePetitionCents: Type.Integer() })),
}, { description: 'The pre- and post-petition split now (worked out on every read)' });
const CaseAccountSchema = Type.Object({
  accountId: Type.Integer(), accountNumber: Type.String(), split: Nullable(SplitSchema),
  filed: Type.Object({ balanceBeforeCents: Type.Integer(), prePetitionCents: Type.Integer(), derivation: Type.String() }),
  assurance: Type.Object({
    state: Type.String({ description: 'not_asked, due, overdue, paid, waived or ended' }), depositId: Nullable(Type.Integer()), amountCents: Nullable(Type.Integer()), heldCents: Nullable(Type.Integer()),
    dueOn: Type.String(), waivedOn: Nullable(Type.String()), waivedReason: Nullable(Type.String()),
  }),
  dischargedCents: Nullable(Type.Integer()), writeoffEntryId: Nullable(Type.Integer()), alertId: Nullable(Type.Integer()),
});
export const BankruptcyCaseSchema = Type.Object({
  id: Type.Integer(), customerId: Type.Integer(), customerName: Type.String(), chapter: Type.Integer(), petitionDate: Type.String(), court: Type.String(), caseNumber: Type.String(), debtorName: Type.String(),
  contact: Type.Object({ kind: Type.String(), name: Nullable(Type.String()), phone: Nullable(Type.String()), email: Nullable(Type.String()), address: Nullable(Type.String()) }),
  noticeReceivedOn: Type.String(), status: Type.String(), assuranceDueOn: Type.String(), closedOn: Nullable(Type.String()), closeReason: Nullable(Type.String()), createdAt: Type.String(),
  accounts: Type.Array(CaseAccountSchema), heldCents: Type.Integer(), assuranceOverdue: Type.Boolean(),
});
const SettingsSchema = Type.Object({ assuranceDays: Type.Integer({ minimum: 1, maximum: 365 }), askAssurance: Type.Boolean() });
const Dated = Type.Object({ on: Type.Optional(DateString), reason: Reason }, closed);

export function registerBankruptcyRoutes(app: App, { db, clock }: Deps): void {
  const tags = ['bankruptcy'];
  app.get('/api/v1/bankruptcy/cases', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'Bankruptcy cases, newest first; assurance=overdue: open cases whose adequate-assurance deposit is unpaid past its due date',
      querystring: Type.Object({ ...PageQuery, status: Type.Optional(Status), customerId: Type.Optional(Type.Integer({ minimum: 1 })), assurance: Type.Optional(Type.Literal('overdue')) }, closed),
      response: { 200: Page(BankruptcyCaseSchema) },
    },
  }, async (request) => bankruptcy.listCases(db, clock, { status: request.query.status, customerId: request.query.customerId, assurance: request.query.assurance, after: request.query.after ?? 0, limit: request.query.limit ?? 50 }));
  app.post('/api/v1/bankruptcy/cases', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: "Record a bankruptcy case for a customer's accounts (all not closed by default): the split per account, a bankruptcy alert on each, and an adequate-assurance deposit asked due 20 days after the petition (unless waived)",
      body: Type.Object({
        customerId: Type.Integer({ minimum: 1 }), accountIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 50 })),
        chapter: Type.Union([Type.Literal(7), Type.Literal(11), Type.Literal(12), Type.Literal(13)]), petitionDate: DateString, court: Text(), caseNumber: Text(40), debtorName: Type.Optional(Text()),
        contact: Type.Optional(Type.Object({ kind: Type.Optional(Type.Union([Type.Literal('attorney'), Type.Literal('trustee'), Type.Literal('debtor')])), name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))), email: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), address: Type.Optional(Nullable(Type.String({ maxLength: 300 }))) }, closed)),
        noticeReceivedOn: Type.Optional(DateString), assuranceCents: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })), waiveAssurance: Type.Optional(Reason), reason: Reason,
      }, closed),
      response: { 201: BankruptcyCaseSchema },
    },
  }, async (request, reply) => reply.code(201).send(await bankruptcy.openCase(db, actorOf(request), clock, request.body)));
  app.get('/api/v1/bankruptcy/cases/:id', { config: { access: 'read' }, schema: { tags, summary: 'A bankruptcy case with the split of each account', params: IdParams, response: { 200: BankruptcyCaseSchema } } }, async (request) => bankruptcy.getCase(db, clock, request.params.id));
  app.post('/api/v1/bankruptcy/cases/:id/discharge', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'The discharge: the pre-petition debt still held is written off (BANKRUPTCY_DISCHARGE), the alerts end', params: IdParams, body: Dated, response: { 200: BankruptcyCaseSchema } },
  }, async (request) => bankruptcy.dischargeCase(db, actorOf(request), clock, request.params.id, request.body));
  app.post('/api/v1/bankruptcy/cases/:id/dismiss', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'The dismissal: the stay ends and collection of all the debt resumes; the alerts end', params: IdParams, body: Dated, response: { 200: BankruptcyCaseSchema } },
  }, async (request) => bankruptcy.endCase(db, actorOf(request), clock, request.params.id, 'dismissed', request.body));
  app.post('/api/v1/bankruptcy/cases/:id/close', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Close a case otherwise (nothing written off); the stay ends and the alerts end', params: IdParams, body: Dated, response: { 200: BankruptcyCaseSchema } },
  }, async (request) => bankruptcy.endCase(db, actorOf(request), clock, request.params.id, 'closed', request.body));
  app.post('/api/v1/bankruptcy/cases/:id/waive-assurance', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: "Waive the adequate-assurance deposit of the case's accounts (or one); a deposit asked for the case and still live is returned (a supervisor's call)",
      params: IdParams, body: Type.Object({ accountId: Type.Optional(Type.Integer({ minimum: 1 })), reason: Reason }, closed), response: { 200: BankruptcyCaseSchema },
    },
  }, async (request) => bankruptcy.waiveAssurance(db, actorOf(request), clock, request.params.id, request.body));
  app.get('/api/v1/accounts/:id/bankruptcy', {
    config: { access: 'read' },
    schema: { tags, summary: 'The bankruptcy cases an account is or was in, newest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(BankruptcyCaseSchema) }) } },
  }, async (request) => ({ items: await bankruptcy.casesOfAccount(db, clock, request.params.id) }));
  app.get('/api/v1/bankruptcy/settings', { config: { access: 'read' }, schema: { tags, summary: 'Bankruptcy settings: the days to pay the adequate-assurance deposit', response: { 200: SettingsSchema } } }, async () => bankruptcy.getSettings(db));
  app.patch('/api/v1/bankruptcy/settings', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Change the bankruptcy settings', body: Type.Object({ ...Type.Partial(SettingsSchema).properties, reason: Reason }, closed), response: { 200: SettingsSchema } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return bankruptcy.updateSettings(db, actorOf(request), clock, patch, reason);
  });
}
