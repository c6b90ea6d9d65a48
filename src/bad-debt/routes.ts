import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, IdParams, Nullable, Page, PageQuery, Reason } from '../platform/http/schemas.ts';
import { sendPdf } from '../platform/http/reply.ts';
import { invalid } from '../platform/errors.ts';
import { PLACEMENT_FIELDS } from './placement-file.ts';
import * as badDebt from './service.ts';

const closed = { additionalProperties: false } as const;
const Json = Type.Unknown();
const Percent = Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,2})?$', description: 'An exact percentage with at most two decimals, e.g. "30.00"' });
const Code = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$' });
const RecallReason = Type.Union(badDebt.recallReasons.map((r) => Type.Literal(r)));
const WriteOffStatus = Type.Union([Type.Literal('requested'), Type.Literal('approved'), Type.Literal('refused'), Type.Literal('cancelled')]);

const SettingsSchema = Type.Object({
  letterAfterDueDays: Type.Integer({ minimum: 0, maximum: 365 }), placementWaitDays: Type.Integer({ minimum: 0, maximum: 365 }), minPlacementCents: Type.Integer({ minimum: 0 }),
  autoPlaceAgencyId: Nullable(Type.Integer({ minimum: 1 })),
});
const AgencySchema = Type.Object({
  id: Type.Integer(), code: Type.String(), name: Type.String(), commissionPercent: Type.String(), vendorId: Type.String(), fileColumns: Type.Array(Type.String()), fileHeader: Type.Boolean(), active: Type.Boolean(), createdAt: Type.String(),
});
const LetterSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), letterDate: Type.String(), balanceCents: Type.Integer(), finalBillDate: Type.String(), finalDueDate: Type.String(), placeAfter: Type.String(), agencyName: Nullable(Type.String()), createdAt: Type.String(),
});
const PlacementSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), agencyId: Type.Integer(), fileId: Type.Integer(), placedOn: Type.String(), amountCents: Type.Integer(), status: Type.String(),
  recalledOn: Nullable(Type.String()), recallReason: Nullable(Type.String()), recallNote: Nullable(Type.String()), recallFileId: Nullable(Type.Integer()),
});
const CollectionSchema = Type.Object({
  id: Type.Integer(), placementId: Type.Integer(), accountId: Type.Integer(), agencyId: Type.Integer(), collectedOn: Type.String(), grossCents: Type.Integer(), commissionCents: Type.Integer(), netCents: Type.Integer(),
  reference: Nullable(Type.String()), remittanceId: Nullable(Type.Integer()), paymentId: Nullable(Type.Integer()), batchId: Nullable(Type.Integer()), commissionEntryId: Nullable(Type.Integer()), createdAt: Type.String(),
});
const WriteOffSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), status: Type.String(), requestedCents: Type.Integer(), amountCents: Nullable(Type.Integer()), reinstatedCents: Type.Integer(), reason: Type.String(),
  requestedAt: Type.String(), requestedBy: Type.String(), decidedAt: Nullable(Type.String()), decidedBy: Nullable(Type.String()), decisionReason: Nullable(Type.String()), writtenOffOn: Nullable(Type.String()), ledgerEntryId: Nullable(Type.Integer()),
});
const TransferSchema = Type.Object({
  id: Type.Integer(), transferKey: Type.String(), fromAccountId: Type.Integer(), toAccountId: Type.Integer(), amountCents: Type.Integer(), transferredOn: Type.String(), recalledPlacementId: Nullable(Type.Integer()),
  outEntryId: Nullable(Type.Integer()), inEntryId: Nullable(Type.Integer()), reason: Type.String(), createdAt: Type.String(),
});
const CandidateSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), since: Type.String(), source: Type.String(), reason: Type.String(), placementId: Nullable(Type.Integer()), withdrawnAt: Nullable(Type.String()), withdrawnReason: Nullable(Type.String()),
});
const FileSchema = Type.Object({ id: Type.Integer(), agencyId: Type.Integer(), agencyCode: Type.String(), fileName: Type.String(), createdAt: Type.String() });
const PlacementFileSchema = Type.Object({ ...FileSchema.properties, placements: Type.Integer(), totalCents: Type.Integer(), placedOn: Type.String() });
const RecallFileSchema = Type.Object({ ...FileSchema.properties, recalls: Type.Integer() });
const RunSchema = Type.Object({
  date: Type.String(), alreadyRun: Type.Boolean(), firstRunAt: Nullable(Type.String()), accountsReviewed: Type.Integer(), letters: Type.Integer(), candidates: Type.Integer(), placed: Type.Integer(),
  placementFileId: Nullable(Type.Integer()), recalled: Type.Integer(), reinstated: Type.Integer(), reinstatedCents: Type.Integer(), actions: Type.Array(Json), skipped: Type.Array(Json),
});
const Named = { accountNumber: Type.String(), customerName: Type.String() };

const csv = (reply: import('fastify').FastifyReply, fileName: string, body: string | Buffer) =>
  reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`).send(body);

export function registerBadDebtRoutes(app: App, { db, clock, config }: Deps): void {
  const tags = ['bad debt'];

  // ---- settings and agencies ----
  app.get('/api/v1/bad-debt/settings', {
    config: { access: 'read' },
    schema: { tags, summary: 'Bad-debt rules: days after the final due date before the letter, the waiting period before placement, the minimum to place, the agency the job places with; write-offs always need a supervisor', response: { 200: Type.Object({ ...SettingsSchema.properties, writeOffApproval: Type.String() }) } },
  }, async () => badDebt.getSettings(db));
  app.patch('/api/v1/bad-debt/settings', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Change the bad-debt rules', body: Type.Object({ ...Type.Partial(SettingsSchema).properties, reason: Reason }, closed), response: { 200: Type.Object({ ...SettingsSchema.properties, writeOffApproval: Type.String() }) } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return badDebt.updateSettings(db, actorOf(request), clock, patch, reason);
  });
  app.get('/api/v1/bad-debt/placement-fields', {
    config: { access: 'read' },
    schema: { tags, summary: "The fields an agency's placement file may carry (identity numbers are never sent)", response: { 200: Type.Object({ items: Type.Array(Type.Object({ field: Type.String(), label: Type.String() })) }) } },
  }, async () => ({ items: Object.entries(PLACEMENT_FIELDS).map(([field, f]) => ({ field, label: f.label })) }));
  app.get('/api/v1/bad-debt/agencies', {
    config: { access: 'read' },
    schema: { tags, summary: 'Collection agencies (active first)', response: { 200: Type.Object({ items: Type.Array(AgencySchema) }) } },
  }, async () => ({ items: await badDebt.listAgencies(db) }));
  app.post('/api/v1/bad-debt/agencies', {
    config: { access: 'supervisor' },
    schema: {
      tags, summary: 'Add a collection agency: its commission and placement-file layout',
      body: Type.Object({ code: Code, name: Type.String({ minLength: 1, maxLength: 120 }), commissionPercent: Percent, vendorId: Type.Optional(Type.String({ maxLength: 40 })), fileColumns: Type.Optional(Type.Array(Type.String(), { minItems: 1 })), fileHeader: Type.Optional(Type.Boolean()), reason: Reason }, closed),
      response: { 201: AgencySchema },
    },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.code(201).send(await badDebt.createAgency(db, actorOf(request), clock, { ...input, code: input.code.toUpperCase() }, reason));
  });
  app.patch('/api/v1/bad-debt/agencies/:id', {
    config: { access: 'supervisor' },
    schema: {
      tags, summary: "Change a collection agency (its commission, layout, or whether it takes placements)", params: IdParams,
      body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })), commissionPercent: Type.Optional(Percent), vendorId: Type.Optional(Type.String({ maxLength: 40 })), fileColumns: Type.Optional(Type.Array(Type.String(), { minItems: 1 })), fileHeader: Type.Optional(Type.Boolean()), active: Type.Optional(Type.Boolean()), reason: Reason }, closed),
      response: { 200: AgencySchema },
    },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return badDebt.updateAgency(db, actorOf(request), clock, request.params.id, patch, reason);
  });

  // ---- final accounts, letters, candidates ----
  app.get('/api/v1/bad-debt/final-accounts', {
    config: { access: 'read' },
    schema: { tags, summary: "Final accounts owing money today: the letter, candidacy, placement and what the daily job does next", response: { 200: Type.Object({ items: Type.Array(Json) }) } },
  }, async () => ({ items: await badDebt.finalAccounts(db, clock) }));
  app.get('/api/v1/bad-debt/candidates', {
    config: { access: 'read' },
    schema: { tags, summary: 'Accounts ready to place with an agency, oldest first, with their letter dates', response: { 200: Type.Object({ items: Type.Array(Type.Object({ ...CandidateSchema.properties, ...Named, balanceCents: Type.Integer(), letterDate: Nullable(Type.String()), placeAfter: Nullable(Type.String()), letterId: Nullable(Type.Integer()) })) }) } },
  }, async () => ({ items: await badDebt.candidates(db) }));
  app.get('/api/v1/bad-debt/letters', {
    config: { access: 'read' },
    schema: { tags, summary: 'Pre-collection letters sent, newest first', querystring: Type.Object({ ...PageQuery, from: Type.Optional(DateString), to: Type.Optional(DateString) }, closed), response: { 200: Page(Type.Object({ ...LetterSchema.properties, ...Named })) } },
  }, async (request) => badDebt.listLetters(db, { after: request.query.after ?? 0, limit: request.query.limit ?? 50, from: request.query.from, to: request.query.to }));
  app.get('/api/v1/bad-debt/letters/:id/letter.pdf', {
    config: { access: 'read' },
    schema: { tags, summary: 'A pre-collection letter as it was sent (PDF)', params: IdParams },
  }, async (request, reply) => {
    const l = await badDebt.letterPdf(db, request.params.id);
    return sendPdf(reply, l.fileName, l.pdf);
  });

  // ---- placements and their files ----
  app.post('/api/v1/bad-debt/placement-files', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: "Place the candidates waiting (or the accounts named) with an agency: the placement file in its layout, kept once; no candidate, no file",
      body: Type.Object({ agencyId: Type.Integer({ minimum: 1 }), accountIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1 })) }, closed),
      response: { 200: Type.Object({ file: Nullable(Type.Object({ ...PlacementFileSchema.properties, body: Type.String() })), placed: Type.Array(Type.Object({ ...PlacementSchema.properties, accountNumber: Type.String() })), skipped: Type.Array(Json) }) },
    },
  }, async (request) => badDebt.makePlacementFile(db, actorOf(request), clock, request.body));
  app.get('/api/v1/bad-debt/placement-files', {
    config: { access: 'read' },
    schema: { tags, summary: 'Placement files made, newest first', querystring: Type.Object({ agencyId: Type.Optional(Type.Integer({ minimum: 1 })) }, closed), response: { 200: Type.Object({ items: Type.Array(PlacementFileSchema) }) } },
  }, async (request) => ({ items: await badDebt.listPlacementFiles(db, request.query.agencyId) }));
  app.get('/api/v1/bad-debt/placement-files/:id/file', {
    config: { access: 'read' },
    schema: { tags, summary: 'A placement file as it was made (CSV)', params: IdParams },
  }, async (request, reply) => {
    const f = await badDebt.placementFile(db, request.params.id);
    return csv(reply, f.fileName, f.body);
  });
  app.get('/api/v1/bad-debt/placements', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'Placements, newest first, with what the agency has collected', querystring: Type.Object({ ...PageQuery, status: Type.Optional(Type.Union([Type.Literal('placed'), Type.Literal('recalled')])), agencyId: Type.Optional(Type.Integer({ minimum: 1 })) }, closed),
      response: { 200: Page(Type.Object({ ...PlacementSchema.properties, ...Named, agencyCode: Type.String(), agencyName: Type.String(), collectedCents: Type.Integer() })) },
    },
  }, async (request) => badDebt.listPlacements(db, { status: request.query.status, agencyId: request.query.agencyId, after: request.query.after ?? 0, limit: request.query.limit ?? 50 }));
  app.post('/api/v1/bad-debt/placements/:id/recall', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: "Recall a placement from the agency (it goes in the agency's next recall file); the account is not placed again unless staff place it", params: IdParams,
      body: Type.Object({ reason: RecallReason, note: Type.Optional(Type.String({ maxLength: 500 })) }, closed), response: { 200: PlacementSchema },
    },
  }, async (request) => badDebt.recall(db, actorOf(request), clock, request.params.id, request.body));
  app.post('/api/v1/bad-debt/recall-files', {
    config: { access: 'csr2' },
    schema: { tags, summary: "An agency's recall file: every placement recalled and not yet sent; none, no file", body: Type.Object({ agencyId: Type.Integer({ minimum: 1 }) }, closed), response: { 200: Type.Object({ file: Nullable(Type.Object({ ...RecallFileSchema.properties, body: Type.String() })) }) } },
  }, async (request) => ({ file: await badDebt.makeRecallFile(db, actorOf(request), clock, request.body.agencyId) }));
  app.get('/api/v1/bad-debt/recall-files', {
    config: { access: 'read' },
    schema: { tags, summary: 'Recall files made, newest first', response: { 200: Type.Object({ items: Type.Array(RecallFileSchema) }) } },
  }, async () => ({ items: await badDebt.listRecallFiles(db) }));
  app.get('/api/v1/bad-debt/recall-files/:id/file', {
    config: { access: 'read' },
    schema: { tags, summary: 'A recall file as it was made (CSV)', params: IdParams },
  }, async (request, reply) => {
    const f = await badDebt.recallFile(db, request.params.id);
    return csv(reply, f.fileName, f.body);
  });

  // ---- what the agency collected ----
  app.post('/api/v1/bad-debt/placements/:id/collections', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: "What the agency collected on a placement: the net (gross less commission, by default the agency's percentage) posted as a payment, the commission written off; the balance falls by the gross", params: IdParams,
      body: Type.Object({ grossCents: Type.Integer({ minimum: 1 }), commissionCents: Type.Optional(Type.Integer({ minimum: 0 })), collectedOn: DateString, reference: Type.Optional(Type.String({ maxLength: 60 })) }, closed),
      response: { 201: CollectionSchema },
    },
  }, async (request, reply) => reply.code(201).send(await badDebt.recordCollection(db, actorOf(request), clock, { placementId: request.params.id, ...request.body })));
  app.get('/api/v1/bad-debt/collections', {
    config: { access: 'read' },
    schema: { tags, summary: 'Agency collections, newest first', querystring: Type.Object({ ...PageQuery, agencyId: Type.Optional(Type.Integer({ minimum: 1 })) }, closed), response: { 200: Page(Type.Object({ ...CollectionSchema.properties, ...Named, agencyCode: Type.String() })) } },
  }, async (request) => badDebt.listCollections(db, { agencyId: request.query.agencyId, after: request.query.after ?? 0, limit: request.query.limit ?? 50 }));
  app.post('/api/v1/bad-debt/remittances', {
    config: { access: 'csr2' },
    bodyLimit: 16 * 1024 * 1024,
    schema: {
      tags, summary: "Import an agency's remittance file (text/csv: account_number, gross, commission, net, date): posted once, refused whole (line and reason) when a record is wrong",
      querystring: Type.Object({ agencyId: Type.Integer({ minimum: 1 }), fileName: Type.String({ minLength: 1, maxLength: 200 }) }, closed),
      response: { 200: Type.Object({ remittanceId: Type.Integer(), fileName: Type.String(), duplicate: Type.Boolean(), records: Type.Integer(), grossCents: Type.Integer(), commissionCents: Type.Integer(), netCents: Type.Integer(), batchId: Nullable(Type.Integer()), collections: Type.Array(CollectionSchema) }) },
    },
  }, async (request) => {
    if (!Buffer.isBuffer(request.body)) throw invalid('body', 'send the file itself as the request body (Content-Type text/csv or text/plain)');
    return badDebt.importRemittance(db, actorOf(request), clock, { agencyId: request.query.agencyId, fileName: request.query.fileName, bytes: request.body });
  });
  app.get('/api/v1/bad-debt/remittances', {
    config: { access: 'read' },
    schema: { tags, summary: 'Remittance files imported, newest first', response: { 200: Type.Object({ items: Type.Array(Json) }) } },
  }, async () => ({ items: await badDebt.listRemittances(db) }));
  app.get('/api/v1/bad-debt/remittances/:id/file', {
    config: { access: 'read' },
    schema: { tags, summary: 'A remittance file as the agency sent it', params: IdParams },
  }, async (request, reply) => {
    const f = await badDebt.remittanceFile(db, request.params.id);
    return csv(reply, f.fileName, f.bytes);
  });

  // ---- write-offs ----
  app.get('/api/v1/bad-debt/write-offs', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'Write-offs, newest first, and the bad-debt totals of the days asked (written off, reinstated, agency commission)', querystring: Type.Object({ ...PageQuery, status: Type.Optional(WriteOffStatus), from: Type.Optional(DateString), to: Type.Optional(DateString) }, closed),
      response: { 200: Type.Object({ ...Page(Type.Object({ ...WriteOffSchema.properties, ...Named })).properties, totals: Type.Object({ writtenOffCents: Type.Integer(), writeOffs: Type.Integer(), reinstatedCents: Type.Integer(), agencyCollectedCents: Type.Integer(), agencyCommissionCents: Type.Integer(), netBadDebtCents: Type.Integer() }) }) },
    },
  }, async (request) => badDebt.listWriteOffs(db, { status: request.query.status, from: request.query.from, to: request.query.to, after: request.query.after ?? 0, limit: request.query.limit ?? 50 }));
  app.post('/api/v1/bad-debt/write-offs/:id/approve', {
    config: { access: 'supervisor' },
    schema: { tags, summary: "Approve a write-off (a supervisor other than the one who asked): the balance now goes to bad debt", params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: WriteOffSchema } },
  }, async (request) => badDebt.approveWriteOff(db, actorOf(request), clock, request.params.id, request.body.reason));
  app.post('/api/v1/bad-debt/write-offs/:id/refuse', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Refuse a write-off: the balance stays to collect', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: WriteOffSchema } },
  }, async (request) => badDebt.decideAgainst(db, actorOf(request), clock, request.params.id, 'refused', request.body.reason));
  app.post('/api/v1/bad-debt/write-offs/:id/cancel', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Withdraw a write-off asked for (the one who asked, or a supervisor)', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: WriteOffSchema } },
  }, async (request) => badDebt.decideAgainst(db, actorOf(request), clock, request.params.id, 'cancelled', request.body.reason));

  // ---- one account ----
  app.get('/api/v1/accounts/:id/bad-debt', {
    config: { access: 'read' },
    schema: { tags, summary: "An account's bad-debt state: final bill, letter, placement, the agency's collections, write-offs, transfers, and what the daily job does next", params: IdParams, response: { 200: Json } },
  }, async (request) => badDebt.accountBadDebt(db, clock, request.params.id));
  app.post('/api/v1/accounts/:id/bad-debt/write-off', {
    config: { access: 'csr2' },
    schema: { tags, summary: "Ask to write a final account's balance off to bad debt (a supervisor other than the one asking approves it)", params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 201: WriteOffSchema } },
  }, async (request, reply) => reply.code(201).send(await badDebt.requestWriteOff(db, actorOf(request), clock, request.params.id, request.body.reason)));
  app.post('/api/v1/accounts/:id/bad-debt/transfer', {
    config: { access: 'csr2' },
    schema: { tags, summary: "Move a final account's balance to the same customer's active account (a placed account is recalled first)", params: IdParams, body: Type.Object({ toAccountId: Type.Integer({ minimum: 1 }), reason: Reason }, closed), response: { 201: TransferSchema } },
  }, async (request, reply) => reply.code(201).send(await badDebt.transferBalance(db, actorOf(request), clock, request.params.id, request.body)));
  app.post('/api/v1/accounts/:id/bad-debt/candidate', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Make the account a placement candidate again (after a recall), or before the job does; the letter must have gone', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 201: CandidateSchema } },
  }, async (request, reply) => reply.code(201).send(await badDebt.placeAgain(db, actorOf(request), clock, request.params.id, request.body.reason)));

  // ---- the daily job ----
  app.post('/api/v1/bad-debt/run', {
    config: { access: 'supervisor' },
    schema: { tags, summary: "The daily bad-debt job for a date (today by default): letters, candidates, recalls, reinstatements; a second run of a date does nothing and says so", body: Type.Object({ date: Type.Optional(DateString) }, closed), response: { 200: RunSchema } },
  }, async (request) => badDebt.run(db, actorOf(request), clock, config, { date: request.body.date }));
  app.get('/api/v1/bad-debt/runs', {
    config: { access: 'read' },
    schema: { tags, summary: 'The daily job by date, newest first, with what it did', response: { 200: Type.Object({ items: Type.Array(Type.Object({ date: Type.String(), ranAt: Type.String(), ranBy: Type.String(), result: Json })) }) } },
  }, async () => ({ items: await badDebt.listRuns(db) }));
}
