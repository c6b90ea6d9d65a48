import { Type } from 'typebox';
import { invalid } from '../platform/errors.ts';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, IdParams, Nullable, Page, PageQuery, Reason } from '../platform/http/schemas.ts';
import * as assistance from './service.ts';

const closed = { additionalProperties: false } as const;
const Json = Type.Unknown();
const Cents = Type.Integer({ minimum: 1, maximum: 10_000_000_000, description: 'Whole cents' });
const Code = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$', description: 'Letters, digits, - and _ (kept in capitals)' });
const Status = Type.Union([Type.Literal('open'), Type.Literal('partial'), Type.Literal('paid'), Type.Literal('expired'), Type.Literal('cancelled')]);

const AgencySchema = Type.Object({
  id: Type.Integer(), code: Type.String(), name: Type.String(), contactName: Nullable(Type.String()), address: Nullable(Type.String()), phone: Nullable(Type.String()),
  email: Nullable(Type.String()), fileLayout: Json, active: Type.Boolean(), createdAt: Type.String(),
});
const ProgramSchema = Type.Object({
  id: Type.Integer(), agencyId: Type.Integer(), code: Type.String(), name: Type.String(), lowIncome: Type.Boolean(), fundingYear: Nullable(Type.Integer()),
  seasonFrom: Nullable(Type.String()), seasonTo: Nullable(Type.String()), active: Type.Boolean(), createdAt: Type.String(),
});
export const PledgeSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), accountNumber: Type.String(), customerName: Type.String(), agencyId: Type.Integer(), agencyCode: Type.String(), agencyName: Type.String(),
  programId: Type.Integer(), programCode: Type.String(), programName: Type.String(), lowIncome: Type.Boolean(), reference: Nullable(Type.String()),
  amountCents: Type.Integer(), receivedCents: Type.Integer(), outstandingCents: Type.Integer(), pledgedOn: Type.String(), expiresOn: Type.String(), status: Type.String(),
  flag: Nullable(Type.String({ description: 'expired (lapsed with nothing received) or short (lapsed with part received)' })),
  holdsCollection: Type.Boolean({ description: 'Open and not past its expiry today: collection waits for it' }),
  closedOn: Nullable(Type.String()), cancelReason: Nullable(Type.String()), createdAt: Type.String(),
});
const HoldSchema = Type.Object({ pledgeId: Type.Integer(), expiresOn: Type.String(), amountCents: Type.Integer(), outstandingCents: Type.Integer() });
const ItemResultSchema = Type.Object({
  itemNo: Type.Integer(), paymentId: Type.Integer(), accountId: Nullable(Type.Integer()), accountRef: Nullable(Type.String()), amountCents: Type.Integer(),
  status: Type.String({ description: 'applied, suspense (no account of ours was named) or reversed' }), pledgeId: Nullable(Type.Integer()), pledgeStatus: Nullable(Type.String()),
});
const AgencyPaymentSchema = Type.Object({
  id: Type.Integer(), agencyId: Type.Integer(), agencyCode: Type.String(), agencyName: Type.String(), source: Type.String(), checkNumber: Nullable(Type.String()), receivedOn: Type.String(),
  totalCents: Type.Integer(), batchId: Type.Integer(), importId: Nullable(Type.Integer()), note: Nullable(Type.String()), createdAt: Type.String(), applied: Type.Integer(), suspense: Type.Integer(),
  items: Type.Array(ItemResultSchema),
});
const PostedSchema = Type.Object({ ...AgencyPaymentSchema.properties, replayed: Type.Boolean() });
const ImportResultSchema = Type.Object({
  importId: Type.Integer(), fileName: Type.String(), duplicate: Type.Boolean(), records: Type.Integer(), applied: Type.Integer(), suspense: Type.Integer(), totalCents: Type.Integer(), detail: Json,
});
const ReportRowSchema = Type.Object({
  agencyId: Type.Integer(), agencyCode: Type.String(), agencyName: Type.String(), programId: Nullable(Type.Integer()), programCode: Nullable(Type.String()), programName: Nullable(Type.String()),
  pledgedCount: Type.Integer(), pledgedCents: Type.Integer(), receivedCents: Type.Integer(), outstandingCents: Type.Integer(), expiredCount: Type.Integer(), expiredCents: Type.Integer(),
  shortCount: Type.Integer(), cancelledCount: Type.Integer(),
});
const ReportQuery = Type.Object({ from: Type.Optional(DateString), to: Type.Optional(DateString), agencyId: Type.Optional(Type.Integer({ minimum: 1 })) }, closed);
const SettingsSchema = Type.Object({ defaultValidityDays: Type.Integer({ minimum: 1, maximum: 366, description: 'A pledge recorded without an expiry date expires this many days after its date' }) });
const Text = (max: number) => Type.Optional(Nullable(Type.String({ maxLength: max })));
const AgencyFields = {
  name: Type.String({ minLength: 1, maxLength: 120 }), contactName: Text(120), address: Text(300), phone: Text(40), email: Text(120),
  fileLayout: Type.Optional(Type.Unknown({ description: 'The agency\'s payment-file layout (null: the default: Agency Code,Pledge Number,Account Number,Customer Name,Amount,Payment Date[,Check Number])' })),
};
const ProgramFields = {
  name: Type.String({ minLength: 1, maxLength: 120 }), lowIncome: Type.Optional(Type.Boolean({ description: 'Low-income energy assistance (LIHEAP-type); default true' })),
  fundingYear: Type.Optional(Nullable(Type.Integer({ minimum: 1990, maximum: 2100 }))), seasonFrom: Type.Optional(Nullable(DateString)), seasonTo: Type.Optional(Nullable(DateString)),
};

export function registerAssistanceRoutes(app: App, { db, clock }: Deps): void {
  const tags = ['energy assistance'];

  // ---- agencies and programs ----
  app.get('/api/v1/assistance/agencies', {
    config: { access: 'read' },
    schema: { tags, summary: 'Energy-assistance agencies (community-action agencies and other payers)', response: { 200: Type.Object({ items: Type.Array(AgencySchema) }) } },
  }, async () => ({ items: await assistance.listAgencies(db) }));

  app.get('/api/v1/assistance/agencies/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'An agency and its programs', params: IdParams, response: { 200: Type.Object({ ...AgencySchema.properties, programs: Type.Array(ProgramSchema) }) } },
  }, async (request) => assistance.getAgency(db, request.params.id));

  app.post('/api/v1/assistance/agencies', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Add an agency', body: Type.Object({ code: Code, ...AgencyFields, reason: Type.Optional(Reason) }, closed), response: { 201: AgencySchema } },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.code(201).send(await assistance.createAgency(db, actorOf(request), clock, input, reason));
  });

  app.patch('/api/v1/assistance/agencies/:id', {
    config: { access: 'supervisor' },
    schema: {
      tags, summary: "Change an agency: its details, its payment-file layout, or whether it is active", params: IdParams,
      body: Type.Object({ code: Type.Optional(Code), ...Type.Partial(Type.Object(AgencyFields)).properties, active: Type.Optional(Type.Boolean()), reason: Reason }, closed), response: { 200: AgencySchema },
    },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return assistance.updateAgency(db, actorOf(request), clock, request.params.id, patch, reason);
  });

  app.get('/api/v1/assistance/programs', {
    config: { access: 'read' },
    schema: {
      tags, summary: "Agencies' programs (LIHEAP, winter crisis, ...)", querystring: Type.Object({ agencyId: Type.Optional(Type.Integer({ minimum: 1 })) }, closed),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ ...ProgramSchema.properties, agencyCode: Type.String(), agencyName: Type.String() })) }) },
    },
  }, async (request) => ({ items: await assistance.listPrograms(db, request.query.agencyId) }));

  app.post('/api/v1/assistance/programs', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Add a program to an agency', body: Type.Object({ agencyId: Type.Integer({ minimum: 1 }), code: Code, ...ProgramFields, reason: Type.Optional(Reason) }, closed), response: { 201: ProgramSchema } },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.code(201).send(await assistance.createProgram(db, actorOf(request), clock, input, reason));
  });

  app.patch('/api/v1/assistance/programs/:id', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Change a program (its name, season, whether it is low-income or active)', params: IdParams, body: Type.Object({ ...Type.Partial(Type.Object(ProgramFields)).properties, active: Type.Optional(Type.Boolean()), reason: Reason }, closed), response: { 200: ProgramSchema } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return assistance.updateProgram(db, actorOf(request), clock, request.params.id, patch, reason);
  });

  // ---- pledges ----
  app.get('/api/v1/accounts/:id/pledges', {
    config: { access: 'read' },
    schema: {
      tags, summary: "An account's energy-assistance pledges (newest first), the pledge holding collection today, and whether it counts as an energy-assistance customer", params: IdParams,
      response: { 200: Type.Object({ items: Type.Array(PledgeSchema), holding: Nullable(HoldSchema), assistanceEligible: Type.Boolean() }) },
    },
  }, async (request) => assistance.pledgesOfAccount(db, clock, request.params.id));

  app.post('/api/v1/accounts/:id/pledges', {
    config: { access: 'csr1' },
    schema: {
      tags, summary: "Record an agency's pledge on the account: it holds collection until it expires and puts a pledge-pending alert on the account", params: IdParams,
      body: Type.Object({
        programId: Type.Integer({ minimum: 1 }), amountCents: Cents, pledgedOn: Type.Optional(DateString),
        expiresOn: Type.Optional(Type.String({ format: 'date', description: 'Default: the pledge date plus the set validity days (30)' })),
        reference: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: "The agency's pledge number" })), reason: Reason,
      }, closed),
      response: { 201: PledgeSchema },
    },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.code(201).send(await assistance.recordPledge(db, actorOf(request), clock, { accountId: request.params.id, ...input }, reason));
  });

  app.get('/api/v1/assistance/pledges', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'Pledges, newest first: by status (several allowed), agency, program or account; flagged=true lists the lapsed ones (expired or short)',
      querystring: Type.Object({
        ...PageQuery, status: Type.Optional(Type.Union([Status, Type.Array(Status)])), agencyId: Type.Optional(Type.Integer({ minimum: 1 })), programId: Type.Optional(Type.Integer({ minimum: 1 })),
        accountId: Type.Optional(Type.Integer({ minimum: 1 })), flagged: Type.Optional(Type.Boolean()),
      }, closed),
      response: { 200: Page(PledgeSchema) },
    },
  }, async (request) => {
    const q = request.query;
    const status = q.status === undefined ? undefined : Array.isArray(q.status) ? q.status : [q.status];
    return assistance.listPledges(db, clock, { status, agencyId: q.agencyId, programId: q.programId, accountId: q.accountId, flagged: q.flagged, after: q.after ?? 0, limit: q.limit ?? 50 });
  });

  app.get('/api/v1/assistance/pledges/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'A pledge and the agency payments recorded against it', params: IdParams, response: { 200: Type.Object({ ...PledgeSchema.properties, payments: Type.Array(Json) }) } },
  }, async (request) => assistance.getPledge(db, clock, request.params.id));

  app.post('/api/v1/assistance/pledges/:id/cancel', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Cancel an open pledge (the agency withdrew it): collection is no longer held for it', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: PledgeSchema } },
  }, async (request) => assistance.cancelPledge(db, actorOf(request), clock, request.params.id, request.body.reason));

  // ---- agency payments ----
  app.post('/api/v1/assistance/agency-payments', {
    config: { access: 'csr1' },
    schema: {
      tags, summary: "Post an agency's check covering many accounts: the items must add up to the check (else nothing is posted); each is applied to its account and recorded against its pledge; an account that is not ours goes to the suspense queue. The same check again returns the first posting (replayed)",
      body: Type.Object({
        agencyId: Type.Integer({ minimum: 1 }), checkNumber: Type.String({ minLength: 1, maxLength: 30 }), receivedOn: DateString, totalCents: Cents,
        items: Type.Array(Type.Object({
          accountId: Type.Optional(Type.Integer({ minimum: 1 })), accountNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
          pledgeId: Type.Optional(Type.Integer({ minimum: 1, description: 'The pledge the item pays (default: the account\'s oldest open pledge of the agency)' })), amountCents: Cents,
        }, closed), { minItems: 1, maxItems: 1000 }),
        note: Type.Optional(Type.String({ maxLength: 300 })),
      }, closed),
      response: { 201: PostedSchema, 200: PostedSchema },
    },
  }, async (request, reply) => {
    const r = await assistance.postAgencyCheck(db, actorOf(request), clock, request.body);
    return r.replayed ? reply.code(200).send(r) : reply.code(201).send(r);
  });

  app.get('/api/v1/assistance/agency-payments', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'Agency payments (checks and files), newest first', querystring: Type.Object({ ...PageQuery, agencyId: Type.Optional(Type.Integer({ minimum: 1 })) }, closed),
      response: { 200: Page(Type.Object({ id: Type.Integer(), agencyId: Type.Integer(), agencyCode: Type.String(), agencyName: Type.String(), source: Type.String(), checkNumber: Nullable(Type.String()), receivedOn: Type.String(), totalCents: Type.Integer(), batchId: Type.Integer(), importId: Nullable(Type.Integer()), items: Type.Integer(), suspense: Type.Integer(), createdAt: Type.String() })) },
    },
  }, async (request) => assistance.listAgencyPayments(db, { agencyId: request.query.agencyId, after: request.query.after ?? 0, limit: request.query.limit ?? 50 }));

  app.get('/api/v1/assistance/agency-payments/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'An agency payment: its items, the payment and pledge of each', params: IdParams, response: { 200: AgencyPaymentSchema } },
  }, async (request) => assistance.agencyPaymentDetail(db, request.params.id));

  app.post('/api/v1/assistance/imports', {
    config: { access: 'csr2' },
    bodyLimit: 16 * 1024 * 1024,
    schema: {
      tags, summary: "Import an agency's payment file: send the file itself as the body (text/csv or text/plain). Refused whole (line and reason) when malformed; a file imported before posts nothing (duplicate: true)",
      querystring: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200 }), agency: Type.Optional(Code) }, closed),
      response: { 200: ImportResultSchema },
    },
  }, async (request) => {
    if (!Buffer.isBuffer(request.body)) throw invalid('body', 'send the file itself as the request body (Content-Type text/csv or text/plain)');
    return assistance.importAgencyFile(db, actorOf(request), clock, request.query.fileName, request.body, { agencyCode: request.query.agency });
  });

  app.get('/api/v1/assistance/imports', {
    config: { access: 'read' },
    schema: { tags, summary: 'Agency files imported, newest first', response: { 200: Type.Object({ items: Type.Array(Type.Object({ ...ImportResultSchema.properties, importedAt: Type.String() })) }) } },
  }, async () => ({ items: await assistance.listImports(db, 200) }));

  app.get('/api/v1/assistance/imports/:id/file', {
    config: { access: 'read' },
    schema: { tags, summary: 'An agency file as it came', params: IdParams },
  }, async (request, reply) => {
    const f = await assistance.originalFile(db, request.params.id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${f.fileName.replace(/[^\w.-]/g, '_')}"`).send(Buffer.from(f.bytes));
  });

  // ---- the daily review, the report, the settings ----
  app.post('/api/v1/assistance/review', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: "Today's energy-assistance job: expire the open pledges past their expiry date (flagged expired, or short when part came) and match agency payments applied from suspense since; a second run the same day finds nothing",
      body: Type.Object({}, closed),
      response: { 200: Type.Object({ date: Type.String(), expired: Type.Integer(), short: Type.Integer(), matched: Type.Integer(), pledges: Type.Array(Json) }) },
    },
  }, async (request) => assistance.review(db, actorOf(request), clock));

  app.get('/api/v1/assistance/report', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'The program monitoring report: pledged, received, outstanding, expired and short, by agency and program, for pledges made between two days (either may be left out)',
      querystring: ReportQuery,
      response: { 200: Type.Object({ from: Nullable(Type.String()), to: Nullable(Type.String()), programs: Type.Array(ReportRowSchema), agencies: Type.Array(ReportRowSchema), total: ReportRowSchema }) },
    },
  }, async (request) => assistance.report(db, request.query));

  app.get('/api/v1/assistance/report.csv', {
    config: { access: 'read' },
    schema: { tags, summary: 'The program monitoring report as CSV (amounts in dollars)', querystring: ReportQuery },
  }, async (request, reply) => {
    const r = await assistance.report(db, request.query);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="assistance-report${r.from ? `-${r.from}` : ''}${r.to ? `-${r.to}` : ''}.csv"`).send(assistance.reportCsv(r));
  });

  app.get('/api/v1/assistance/settings', {
    config: { access: 'read' },
    schema: { tags, summary: 'Energy-assistance settings', response: { 200: SettingsSchema } },
  }, async () => assistance.getSettings(db));

  app.patch('/api/v1/assistance/settings', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Change the energy-assistance settings', body: Type.Object({ defaultValidityDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })), reason: Reason }, closed), response: { 200: SettingsSchema } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return assistance.updateSettings(db, actorOf(request), clock, patch, reason);
  });
}
