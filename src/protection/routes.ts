import { Type } from 'typebox';
import { customers } from '../customer/index.ts';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, IdParams, Nullable, Page, PageQuery, Reason } from '../platform/http/schemas.ts';
import * as arrangements from './arrangements.ts';
import { protectionsOf } from './in-force.ts';
import * as protections from './service.ts';

const closed = { additionalProperties: false } as const;
const Cents = Type.Integer({ minimum: 0 });
const PositiveCents = Type.Integer({ minimum: 1 });
const Text = (maxLength = 200) => Type.String({ minLength: 1, maxLength });

const ProtectionSchema = Type.Object({
  kind: Type.Union([Type.Literal('medical_notice'), Type.Literal('medical_certificate'), Type.Literal('winter'), Type.Literal('heat_alert'), Type.Literal('pledge'), Type.Literal('arrangement'), Type.Literal('dispute')]),
  id: Nullable(Type.Integer()), from: Type.String(), until: Nullable(Type.String()), detail: Type.String(),
  holds: Type.Array(Type.Union([Type.Literal('notice'), Type.Literal('disconnect'), Type.Literal('late_fee')])),
  disputedCents: Type.Optional(Type.Integer()),
});
const NoticeSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), toldOn: Type.String(), toldBy: Type.String(), note: Nullable(Type.String()), holdsUntil: Type.String(),
  endedOn: Nullable(Type.String()), endReason: Nullable(Type.String()), createdAt: Type.String(),
});
const CertificateSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), receivedOn: Type.String(), professionalName: Type.String(), note: Nullable(Type.String()), delinquentCents: Type.Integer(),
  paymentDueCents: Type.Integer(), paidCents: Type.Integer(), paid: Type.Boolean(), holdsUntil: Type.String(), noticeHoldsUntil: Type.String(),
  endedOn: Nullable(Type.String()), endReason: Nullable(Type.String()), createdAt: Type.String(),
});
const DisputeSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), amountCents: Type.Integer(), about: Type.String(), openedOn: Type.String(), resolvedOn: Nullable(Type.String()),
  outcome: Nullable(Type.String()), open: Type.Boolean(), createdAt: Type.String(),
});
const HeatAlertSchema = Type.Object({
  id: Type.Integer(), area: Type.String(), fromDate: Type.String(), toDate: Type.String(), lastDay: Type.String(), source: Type.String(), note: Nullable(Type.String()),
  endedOn: Nullable(Type.String()), endReason: Nullable(Type.String()), createdAt: Type.String(),
});
const InstalmentSchema = Type.Object({ n: Type.Integer(), dueOn: Type.String(), amountCents: Type.Integer() });
const PlanSchema = Type.Object({ payInFullBy: Type.String(), months: Type.Integer(), capCents: Type.Integer(), neededCents: Type.Integer(), paymentCents: Type.Integer(), clearsArrears: Type.Boolean() });
const ArrangementSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), kind: Type.String(), status: Type.String(), startOn: Type.String(), arrearsCents: Type.Integer(), instalments: Type.Array(InstalmentSchema),
  reason: Type.String(), endedOn: Nullable(Type.String()), endReason: Nullable(Type.String()), createdAt: Type.String(),
  standing: Nullable(Type.Object({
    date: Type.String(), paidCents: Type.Integer(), owedCents: Type.Integer(), shortCents: Type.Integer(), goodStanding: Type.Boolean(), allPaid: Type.Boolean(),
    nextDueOn: Nullable(Type.String()), lastDueOn: Type.String(),
  })),
  winter: Nullable(Type.Object({
    id: Type.Integer(), noticeDate: Type.String(), requestedOn: Type.String(), monthlyIncomeCents: Type.Integer(), incomeDocumentedTo: Type.String(),
    appliedEnergyAssistance: Type.Boolean(), appliedWeatherization: Type.Boolean(), arrearsCents: Type.Integer(), estimatedMonthlyBillCents: Type.Integer(), plan: PlanSchema,
  })),
});
const ArrangementListItemSchema = Type.Object({ ...ArrangementSchema.properties, accountNumber: Type.String(), customerName: Type.String() });
const Status = Type.Union([Type.Literal('active'), Type.Literal('completed'), Type.Literal('defaulted'), Type.Literal('cancelled')]);
const SettingsSchema = Type.Object({
  maxInstalments: Type.Integer({ minimum: 1, maximum: 120 }), supervisorMaxInstalments: Type.Integer({ minimum: 1, maximum: 120 }), graceDays: Type.Integer({ minimum: 0, maximum: 60 }),
  winterFrom: Type.String({ pattern: '^[01][0-9]-[0-3][0-9]$' }), winterTo: Type.String({ pattern: '^[01][0-9]-[0-3][0-9]$' }), winterPayInFullBy: Type.String({ pattern: '^[01][0-9]-[0-3][0-9]$' }),
  winterIncomePercent: Type.Integer({ minimum: 0, maximum: 100 }), winterArrearsDivisor: Type.Integer({ minimum: 1, maximum: 120 }), winterRequestBusinessDays: Type.Integer({ minimum: 0, maximum: 60 }),
  medicalNoticeBusinessDays: Type.Integer({ minimum: 0, maximum: 60 }), medicalCertificateDays: Type.Integer({ minimum: 1, maximum: 366 }), medicalPaidPercent: Type.Integer({ minimum: 0, maximum: 100 }),
  medicalMaxCertificates: Type.Integer({ minimum: 1, maximum: 12 }), medicalWithinDays: Type.Integer({ minimum: 1, maximum: 3660 }),
});
const WinterFields = {
  noticeDate: DateString, requestedOn: Type.Optional(DateString), monthlyIncomeCents: Cents, incomeDocumentedTo: Type.String({ maxLength: 200 }),
  appliedEnergyAssistance: Type.Boolean(), appliedWeatherization: Type.Boolean(), arrearsCents: Type.Optional(PositiveCents), estimatedMonthlyBillCents: Type.Optional(Cents), firstDueOn: Type.Optional(DateString),
};
const ArrangementFields = { arrearsCents: Type.Optional(PositiveCents), instalments: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })), instalmentCents: Type.Optional(PositiveCents), firstDueOn: Type.Optional(DateString) };

export function registerProtectionRoutes(app: App, { db, clock }: Deps): void {
  const tags = ['protections'];

  // ---- what is in force ----
  app.get('/api/v1/accounts/:id/protections', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'The protections in force on a day (today by default) for an account: what each holds back (notices, disconnection, late fees), why, and its dates; a dispute lowers the amount collections acts on',
      params: IdParams, querystring: Type.Object({ date: Type.Optional(DateString) }, closed),
      response: { 200: Type.Object({ accountId: Type.Integer(), date: Type.String(), items: Type.Array(ProtectionSchema) }) },
    },
  }, async (request) => {
    await customers.getAccount(db, request.params.id);
    const date = request.query.date ?? clock.today();
    return { accountId: request.params.id, date, items: (await protectionsOf(db, [request.params.id], date)).get(request.params.id) ?? [] };
  });

  // ---- medical ----
  app.get('/api/v1/accounts/:id/medical', {
    config: { access: 'read' },
    schema: { tags, summary: "An account's medical emergency notices and certificates, newest first, and the certificate limit", params: IdParams, response: { 200: Type.Object({ notices: Type.Array(NoticeSchema), certificates: Type.Array(CertificateSchema), limit: Type.Object({ maxCertificates: Type.Integer(), withinDays: Type.Integer() }) }) } },
  }, async (request) => protections.medicalOf(db, clock, request.params.id));
  app.post('/api/v1/accounts/:id/medical-notices', {
    config: { access: 'csr1' },
    schema: {
      tags, summary: 'A medical emergency told to the district: disconnection of residential service waits 5 business days', params: IdParams,
      body: Type.Object({ toldOn: Type.Optional(DateString), toldBy: Text(), note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))), reason: Reason }, closed), response: { 201: NoticeSchema },
    },
  }, async (request, reply) => reply.code(201).send(await protections.recordMedicalNotice(db, actorOf(request), clock, { accountId: request.params.id, ...request.body })));
  app.post('/api/v1/medical-notices/:id/end', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'End a medical notice early (not in force from the day given, today by default)', params: IdParams, body: Type.Object({ endedOn: Type.Optional(DateString), reason: Reason }, closed), response: { 200: NoticeSchema } },
  }, async (request) => protections.endMedicalNotice(db, actorOf(request), clock, request.params.id, request.body));
  app.post('/api/v1/accounts/:id/medical-certificates', {
    config: { access: 'csr1' },
    schema: {
      tags, summary: 'A written medical certificate: refused beyond the limit (2 in 120 days); holds disconnection 60 days from receipt once 10% of the delinquent balance is paid, only the 5-business-day notice hold until then',
      params: IdParams,
      body: Type.Object({ receivedOn: Type.Optional(DateString), professionalName: Text(), note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))), delinquentCents: Type.Optional(Cents), reason: Reason }, closed),
      response: { 201: CertificateSchema },
    },
  }, async (request, reply) => reply.code(201).send(await protections.recordMedicalCertificate(db, actorOf(request), clock, { accountId: request.params.id, ...request.body })));
  app.post('/api/v1/medical-certificates/:id/end', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'End a medical certificate early (and its account alert)', params: IdParams, body: Type.Object({ endedOn: Type.Optional(DateString), reason: Reason }, closed), response: { 200: CertificateSchema } },
  }, async (request) => protections.endMedicalCertificate(db, actorOf(request), clock, request.params.id, request.body));

  // ---- winter protection ----
  app.get('/api/v1/accounts/:id/winter-protection/quote', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'The winter protection plan (RCW 54.16.285) a request would make, and what would refuse it, without saving anything', params: IdParams,
      querystring: Type.Object({ ...WinterFields, incomeDocumentedTo: Type.Optional(Type.String({ maxLength: 200 })), appliedEnergyAssistance: Type.Optional(Type.Boolean()), appliedWeatherization: Type.Optional(Type.Boolean()) }, closed),
      response: {
        200: Type.Object({
          accountId: Type.Integer(), noticeDate: Type.String(), requestedOn: Type.String(), requestDeadline: Type.String(), arrearsCents: Type.Integer(), estimatedMonthlyBillCents: Nullable(Type.Integer()),
          estimateFrom: Type.String(), plan: Nullable(PlanSchema), instalments: Type.Array(InstalmentSchema), inSeason: Type.Boolean(), seasonLastDay: Nullable(Type.String()), problems: Type.Array(Type.String()),
        }),
      },
    },
  }, async (request) => arrangements.winterQuote(db, clock, {
    accountId: request.params.id, ...request.query, incomeDocumentedTo: request.query.incomeDocumentedTo ?? '',
    appliedEnergyAssistance: request.query.appliedEnergyAssistance ?? false, appliedWeatherization: request.query.appliedWeatherization ?? false,
  }));
  app.post('/api/v1/accounts/:id/winter-protection', {
    config: { access: 'csr1' },
    schema: {
      tags, summary: "The customer's request for winter protection: refused with the reason unless every condition is met; else the plan, made as a winter payment arrangement", params: IdParams,
      body: Type.Object({ ...WinterFields, reason: Reason }, closed), response: { 201: ArrangementSchema },
    },
  }, async (request, reply) => reply.code(201).send(await arrangements.requestWinterProtection(db, actorOf(request), clock, { accountId: request.params.id, ...request.body })));

  // ---- disputes ----
  app.get('/api/v1/accounts/:id/disputes', {
    config: { access: 'read' },
    schema: { tags, summary: "An account's disputed amounts, newest first", params: IdParams, response: { 200: Type.Object({ items: Type.Array(DisputeSchema) }) } },
  }, async (request) => ({ items: await protections.disputesOf(db, request.params.id) }));
  app.post('/api/v1/accounts/:id/disputes', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'Open a dispute: the amount is not collected while it is open', params: IdParams, body: Type.Object({ amountCents: PositiveCents, about: Text(500), openedOn: Type.Optional(DateString), reason: Reason }, closed), response: { 201: DisputeSchema } },
  }, async (request, reply) => reply.code(201).send(await protections.openDispute(db, actorOf(request), clock, { accountId: request.params.id, ...request.body })));
  app.post('/api/v1/disputes/:id/resolve', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Resolve a dispute with its outcome', params: IdParams, body: Type.Object({ outcome: Text(500), resolvedOn: Type.Optional(DateString), reason: Reason }, closed), response: { 200: DisputeSchema } },
  }, async (request) => protections.resolveDispute(db, actorOf(request), clock, request.params.id, request.body));

  // ---- heat alerts ----
  app.get('/api/v1/heat-alerts', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'The extreme-heat alert calendar: alerts whose days meet a range (either end open), in an area or all, latest first', querystring: Type.Object({ from: Type.Optional(DateString), to: Type.Optional(DateString), area: Type.Optional(Type.String({ maxLength: 40 })) }, closed),
      response: { 200: Type.Object({ items: Type.Array(HeatAlertSchema) }) },
    },
  }, async (request) => ({ items: await protections.listHeatAlerts(db, request.query) }));
  app.get('/api/v1/heat-alerts/areas', {
    config: { access: 'read' },
    schema: { tags, summary: 'The areas premises are in (what a heat alert may name)', response: { 200: Type.Object({ items: Type.Array(Type.Object({ area: Type.String(), premises: Type.Integer() })) }) } },
  }, async () => ({ items: await protections.heatAreas(db) }));
  app.get('/api/v1/heat-alerts/:id', { config: { access: 'read' }, schema: { tags, summary: 'A heat alert', params: IdParams, response: { 200: HeatAlertSchema } } }, async (request) => protections.getHeatAlert(db, request.params.id));
  app.post('/api/v1/heat-alerts', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: 'Enter a heat alert for an area: on each of its days residential service there is not disconnected for non-payment (and is reconnected on request)',
      body: Type.Object({ area: Text(40), fromDate: DateString, toDate: DateString, source: Text(120), note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))), reason: Reason }, closed), response: { 201: HeatAlertSchema },
    },
  }, async (request, reply) => reply.code(201).send(await protections.createHeatAlert(db, actorOf(request), clock, request.body)));
  app.patch('/api/v1/heat-alerts/:id', {
    config: { access: 'csr2' },
    schema: { tags, summary: "Change a heat alert's end date, source or note", params: IdParams, body: Type.Object({ toDate: Type.Optional(DateString), source: Type.Optional(Text(120)), note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))), reason: Reason }, closed), response: { 200: HeatAlertSchema } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return protections.updateHeatAlert(db, actorOf(request), clock, request.params.id, patch, reason);
  });
  app.post('/api/v1/heat-alerts/:id/end', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'End a heat alert early: not in force from the day given (today by default)', params: IdParams, body: Type.Object({ endedOn: Type.Optional(DateString), reason: Reason }, closed), response: { 200: HeatAlertSchema } },
  }, async (request) => protections.endHeatAlert(db, actorOf(request), clock, request.params.id, request.body));

  // ---- payment arrangements ----
  app.get('/api/v1/arrangements', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'Payment arrangements (standard and winter), newest first, with where each active one stands today',
      querystring: Type.Object({ ...PageQuery, status: Type.Optional(Status), kind: Type.Optional(Type.Union([Type.Literal('standard'), Type.Literal('winter')])), accountId: Type.Optional(Type.Integer({ minimum: 1 })) }, closed),
      response: { 200: Page(ArrangementListItemSchema) },
    },
  }, async (request) => arrangements.listArrangements(db, clock, { status: request.query.status, kind: request.query.kind, accountId: request.query.accountId, after: request.query.after ?? 0, limit: request.query.limit ?? 50 }));
  app.post('/api/v1/arrangements/review', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: "A day's review (today by default): arrangements not in good standing are defaulted (the account goes back to collections), those paid in full completed; a second review of the day does nothing",
      body: Type.Object({ date: Type.Optional(DateString) }, closed), response: { 200: Type.Object({ date: Type.String(), defaulted: Type.Array(Type.Integer()), completed: Type.Array(Type.Integer()) }) },
    },
  }, async (request) => arrangements.reviewArrangements(db, actorOf(request), clock, request.body.date ?? clock.today()));
  app.get('/api/v1/arrangements/:id', { config: { access: 'read' }, schema: { tags, summary: 'A payment arrangement with its instalments and standing', params: IdParams, response: { 200: ArrangementSchema } } }, async (request) => arrangements.getArrangement(db, clock, request.params.id));
  app.post('/api/v1/arrangements/:id/cancel', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Cancel an active arrangement (and its account alert)', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: ArrangementSchema } },
  }, async (request) => arrangements.cancelArrangement(db, actorOf(request), clock, request.params.id, request.body.reason));
  app.get('/api/v1/accounts/:id/arrangements', {
    config: { access: 'read' },
    schema: { tags, summary: "An account's payment arrangements, newest first", params: IdParams, response: { 200: Type.Object({ items: Type.Array(ArrangementSchema) }) } },
  }, async (request) => ({ items: await arrangements.arrangementsOfAccount(db, clock, request.params.id) }));
  app.get('/api/v1/accounts/:id/arrangements/quote', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'The instalments an arrangement would have (the arrears by default what is owed by today: past due or due today; bills due later are current bills), without making it', params: IdParams, querystring: Type.Object(ArrangementFields, closed),
      response: { 200: Type.Object({ accountId: Type.Integer(), startOn: Type.String(), arrearsCents: Type.Integer(), delinquentCents: Type.Integer(), instalments: Type.Array(InstalmentSchema), maxInstalments: Type.Integer(), supervisorMaxInstalments: Type.Integer() }) },
    },
  }, async (request) => arrangements.quoteArrangement(db, clock, { accountId: request.params.id, ...request.query }));
  app.post('/api/v1/accounts/:id/arrangements', {
    config: { access: 'csr1' },
    schema: {
      tags, summary: 'Make a payment arrangement: the arrears in monthly instalments, current bills due as usual (more than the set instalments: supervisors only)', params: IdParams,
      body: Type.Object({ ...ArrangementFields, reason: Reason }, closed), response: { 201: ArrangementSchema },
    },
  }, async (request, reply) => reply.code(201).send(await arrangements.createArrangement(db, actorOf(request), clock, { accountId: request.params.id, ...request.body })));

  // ---- settings ----
  app.get('/api/v1/protections/settings', { config: { access: 'read' }, schema: { tags, summary: 'Protection and arrangement rules (Washington defaults)', response: { 200: SettingsSchema } } }, async () => protections.getSettings(db));
  app.patch('/api/v1/protections/settings', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Change the protection and arrangement rules', body: Type.Object({ ...Type.Partial(SettingsSchema).properties, reason: Reason }, closed), response: { 200: SettingsSchema } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return protections.updateSettings(db, actorOf(request), clock, patch, reason);
  });
}
