import { Type } from 'typebox';
import { invalid } from '../platform/errors.ts';
import type { App, Deps } from '../platform/http/app-types.ts';
import { sendPdf } from '../platform/http/reply.ts';
import { actorOf, DateString, IdParams, Nullable, PageQuery, Reason } from '../platform/http/schemas.ts';
import * as autopay from './autopay.ts';
import * as deposits from './deposits.ts';
import { depositSlipPdf, receiptPdf, returnLetterPdf } from './documents.ts';
import * as imports from './imports.ts';
import * as returns from './returns.ts';
import * as payments from './service.ts';
import { validateLockboxLayout } from './formats/lockbox.ts';
import { validatePaymentCsvLayout } from './formats/csv-layout.ts';
import * as repo from './repository.ts';

const closed = { additionalProperties: false } as const;
const Cents = Type.Integer({ minimum: 1, description: 'Whole cents' });
const Json = Type.Unknown();
const Share = Type.Object({ service: Nullable(Type.String()), amountCents: Type.Integer() });
export const PaymentSchema = Type.Object({
  id: Type.Integer(), batchId: Type.Integer(), accountId: Nullable(Type.Integer()), amountCents: Type.Integer(), method: Type.String(), channel: Type.String(), receivedOn: Type.String(),
  reference: Nullable(Type.String()), accountRef: Nullable(Type.String()), payerName: Nullable(Type.String()), payerAddress: Nullable(Type.String()), status: Type.String(),
  matchedBy: Nullable(Type.String()), importId: Nullable(Type.Integer()), recordNo: Nullable(Type.Integer()), correctsPaymentId: Nullable(Type.Integer()), reversedAt: Nullable(Type.String()),
  reversalReason: Nullable(Type.String()), createdAt: Type.String(),
});
const BatchSchema = Type.Object({
  id: Type.Integer(), channel: Type.String(), businessDate: Type.String(), status: Type.String(), importId: Nullable(Type.Integer()), openedAt: Type.String(), openedBy: Nullable(Type.Integer()),
  expectedCount: Nullable(Type.Integer()), expectedCents: Nullable(Type.Integer()), closedAt: Nullable(Type.String()), depositId: Nullable(Type.Integer()), note: Nullable(Type.String()),
});
const BatchWithTotals = Type.Object({ ...BatchSchema.properties,  count: Type.Integer(), totalCents: Type.Integer(), cashCents: Type.Integer(), checkCents: Type.Integer() });
const ReturnSchema = Type.Object({
  id: Type.Integer(), paymentId: Type.Integer(), source: Type.String(), reasonCode: Type.String(), reason: Type.String(), returnedOn: Type.String(), importId: Nullable(Type.Integer()),
  recordNo: Nullable(Type.Integer()), feeCents: Type.Integer(), status: Type.String(), followUpNote: Nullable(Type.String()), resolvedAt: Nullable(Type.String()), createdAt: Type.String(),
});
const ImportResultSchema = Type.Object({
  importId: Type.Integer(), kind: Type.String(), fileName: Type.String(), records: Type.Integer(), posted: Type.Integer(), unmatched: Type.Integer(), rejected: Type.Integer(),
  totalCents: Type.Integer(), duplicate: Type.Boolean(), detail: Json,
});
const EnrolmentSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), routingNumber: Type.String(), bankAccountLast4: Type.String(), bankAccountType: Type.String(), holderName: Type.String(),
  status: Type.String(), prenoteSentOn: Nullable(Type.String()), activeFrom: Nullable(Type.String()), enrolledAt: Type.String(), removedAt: Nullable(Type.String()), removedReason: Nullable(Type.String()),
});
const Range = Type.Object({ from: DateString, to: DateString }, closed);

export function registerPaymentRoutes(app: App, { db, clock, config }: Deps): void {
  const tags = ['payments'];
  const meta = config;

  // ---- the counter ----
  app.post('/api/v1/payments', {
    config: { access: 'csr1' },
    schema: {
      tags, summary: "Take a payment at the counter into your cash drawer for today; it is applied to the account's oldest charges at once. The same idempotencyKey again returns the first payment",
      body: Type.Object({
        accountId: Type.Integer({ minimum: 1 }), amountCents: Cents, method: Type.Union([Type.Literal('cash'), Type.Literal('check'), Type.Literal('card')]),
        reference: Type.Optional(Type.String({ maxLength: 40, description: 'Check number or card authorisation' })), payerName: Type.Optional(Type.String({ maxLength: 120 })),
        payerRouting: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })), payerAccount: Type.Optional(Type.String({ maxLength: 20 })),
        idempotencyKey: Type.Optional(Type.String({ minLength: 8, maxLength: 200 })),
      }, closed),
      response: { 201: Type.Object({ payment: PaymentSchema, shares: Type.Array(Share), balanceCents: Type.Integer(), replayed: Type.Boolean() }) },
    },
  }, async (request, reply) => reply.code(201).send(await payments.postCounterPayment(db, actorOf(request), clock, request.body)));

  app.get('/api/v1/payments/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'A payment, how it was applied and its ledger entries', params: IdParams, response: { 200: Type.Object({ ...PaymentSchema.properties,  shares: Type.Array(Share), entries: Type.Array(Json) }) } },
  }, async (request) => payments.getPayment(db, request.params.id));

  app.get('/api/v1/payments/:id/receipt.pdf', { config: { access: 'read' }, schema: { tags, summary: 'The printable receipt of a payment', params: IdParams } },
    async (request, reply) => sendPdf(reply, `receipt-${request.params.id}.pdf`, await receiptPdf(db, clock, meta, request.params.id)));

  app.get('/api/v1/accounts/:id/payments', {
    config: { access: 'read' },
    schema: { tags, summary: "An account's payments, newest first", params: IdParams, response: { 200: Type.Object({ items: Type.Array(PaymentSchema) }) } },
  }, async (request) => ({ items: await payments.paymentsOfAccount(db, request.params.id, 100) }));

  app.post('/api/v1/payments/:id/correct', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: 'A deposit correction: reverse the payment and post it again to the right account or at the right amount (a misapplied payment transferred)',
      params: IdParams, body: Type.Object({ accountId: Type.Optional(Type.Integer({ minimum: 1 })), amountCents: Type.Optional(Cents), reason: Reason }, closed),
      response: { 200: Type.Object({ reversed: PaymentSchema, corrected: PaymentSchema, shares: Type.Array(Share) }) },
    },
  }, async (request) => payments.correctPayment(db, actorOf(request), clock, request.params.id, request.body, request.body.reason));

  app.post('/api/v1/payments/:id/apply', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'Apply a payment waiting in suspense to the account it belongs to', params: IdParams, body: Type.Object({ accountId: Type.Integer({ minimum: 1 }), reason: Reason }, closed), response: { 200: Type.Object({ payment: PaymentSchema, shares: Type.Array(Share) }) } },
  }, async (request) => payments.applySuspense(db, actorOf(request), clock, request.params.id, request.body.accountId, request.body.reason));

  app.post('/api/v1/payments/:id/return', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: 'A returned check keyed by staff, or a card chargeback: the payment reversed, the fee charged, the return in the follow-up queue',
      params: IdParams,
      body: Type.Object({ source: Type.Union([Type.Literal('keyed'), Type.Literal('chargeback')]), reasonCode: Type.String({ minLength: 1, maxLength: 20 }), reason: Type.Optional(Reason), returnedOn: Type.Optional(DateString) }, closed),
      response: { 200: Type.Object({ paymentReturn: ReturnSchema, payment: PaymentSchema, feeCents: Type.Integer(), autopayRemoved: Type.Boolean(), cashOnly: Type.Boolean(), deceasedAlert: Type.Boolean() }) },
    },
  }, async (request) => returns.returnPayment(db, actorOf(request), clock, request.params.id, { ...request.body, returnedOn: request.body.returnedOn ?? clock.today() }));

  app.get('/api/v1/payment-suspense', {
    config: { access: 'read' },
    schema: { tags, summary: 'Payments waiting unapplied for staff to find their account, oldest first', querystring: Type.Object(PageQuery, closed), response: { 200: Type.Object({ items: Type.Array(PaymentSchema), next: Nullable(Type.Integer()) }) } },
  }, async (request) => payments.suspenseQueue(db, { after: request.query.after ?? 0, limit: request.query.limit ?? 50 }));

  // ---- batches ----
  app.get('/api/v1/payment-batches', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'Payment batches (cash drawers and files), newest first, with what each holds',
      querystring: Type.Object({ day: Type.Optional(DateString), status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])), channel: Type.Optional(Type.String({ maxLength: 20 })) }, closed),
      response: { 200: Type.Object({ items: Type.Array(BatchWithTotals) }) },
    },
  }, async (request) => ({ items: await payments.listBatches(db, { ...request.query, channel: request.query.channel as repo.Channel | undefined }) }));

  app.get('/api/v1/payment-batches/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'A batch and its payments', params: IdParams, response: { 200: Type.Object({ ...BatchSchema.properties,  payments: Type.Array(PaymentSchema), count: Type.Integer(), totalCents: Type.Integer() }) } },
  }, async (request) => payments.batchDetail(db, request.params.id));

  app.post('/api/v1/payment-batches/drawer', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'Your open cash drawer for today (opened now if there is none)', response: { 200: BatchSchema } },
  }, async (request) => payments.drawer(db, actorOf(request), clock));

  app.post('/api/v1/payment-batches/:id/close', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'Close a batch: the count and total you counted must equal what it holds', params: IdParams, body: Type.Object({ count: Type.Integer({ minimum: 0 }), totalCents: Type.Integer({ minimum: 0 }) }, closed), response: { 200: BatchSchema } },
  }, async (request) => payments.closeBatch(db, actorOf(request), clock, request.params.id, request.body));

  // ---- imports ----
  app.post('/api/v1/payment-imports', {
    config: { access: 'csr2' },
    bodyLimit: 64 * 1024 * 1024,
    schema: {
      tags, summary: 'Import a bank or processor file: send the file itself as the body (text/plain, text/csv or application/octet-stream). A file already imported posts nothing (duplicate: true)',
      querystring: Type.Object({ kind: Type.Union(imports.IMPORT_KINDS.map((k) => Type.Literal(k))), fileName: Type.String({ minLength: 1, maxLength: 200 }), layout: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })) }, closed),
      response: { 200: ImportResultSchema },
    },
  }, async (request) => {
    if (!Buffer.isBuffer(request.body)) throw invalid('body', 'send the file itself as the request body (Content-Type text/plain, text/csv or application/octet-stream)');
    return imports.importFile(db, actorOf(request), clock, request.query.kind as imports.ImportKind, request.query.fileName, request.body, { layout: request.query.layout });
  });

  app.get('/api/v1/payment-imports', {
    config: { access: 'read' },
    schema: { tags, summary: 'Files imported, newest first', response: { 200: Type.Object({ items: Type.Array(Type.Object({ ...ImportResultSchema.properties,  importedAt: Type.String() })) }) } },
  }, async () => ({ items: await imports.listImports(db, 200) }));

  app.get('/api/v1/payment-imports/:id/file', { config: { access: 'supervisor' }, schema: { tags, summary: 'The original file, as received (it holds full bank account numbers: supervisors only)', params: IdParams } }, async (request, reply) => {
    const f = await imports.originalFile(db, request.params.id);
    return reply.type('application/octet-stream').header('content-disposition', `attachment; filename="${f.fileName.replace(/[^\w.-]/g, '_')}"`).send(Buffer.from(f.bytes));
  });

  app.get('/api/v1/payment-file-layouts', {
    config: { access: 'read' },
    schema: { tags, summary: 'Column layouts of lockbox, card and online bill-pay files (the built-in ones and the district\'s own)', response: { 200: Type.Object({ items: Type.Array(Json) }) } },
  }, async () => ({
    items: [
      ...(['lockbox', 'lockbox-csv', 'card', 'obi'] as const).map((kind) => ({ kind, code: 'built-in', body: null as unknown })),
      ...(await repo.layouts(db)).map((l) => ({ kind: l.kind, code: l.code, body: l.body })),
    ],
  }));

  app.put('/api/v1/payment-file-layouts/:kind/:code', {
    config: { access: 'supervisor' },
    schema: {
      tags, summary: "Save a file layout (code 'standard' becomes the kind's default)",
      params: Type.Object({ kind: Type.Union([Type.Literal('lockbox'), Type.Literal('lockbox-csv'), Type.Literal('card'), Type.Literal('obi')]), code: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }) }),
      body: Type.Object({ layout: Json, reason: Reason }, closed),
    },
  }, async (request) => {
    const { kind, code } = request.params;
    try {
      if (kind === 'lockbox') validateLockboxLayout(request.body.layout);
      else validatePaymentCsvLayout(request.body.layout);
    } catch (e) {
      throw invalid('layout', (e as Error).message);
    }
    return imports.saveLayout(db, actorOf(request), clock, kind, code, request.body.layout, request.body.reason);
  });

  const SettingsSchema = Type.Object({
    mode: Type.String(), serviceOrder: Type.Array(Type.String()), returnedPaymentFeeCents: Type.Integer(), cashOnlyReturns: Type.Integer(), cashOnlyWindowMonths: Type.Integer(),
  });
  app.get('/api/v1/payment-settings', {
    config: { access: 'read' },
    schema: { tags, summary: 'How payments are applied (oldest charges first or in proportion; the service order), the returned-payment fee and the cash-only rule', response: { 200: SettingsSchema } },
  }, async () => payments.applicationSettings(db));
  app.patch('/api/v1/payment-settings', {
    config: { access: 'supervisor' },
    schema: {
      tags, summary: 'Change how payments are applied and returns are treated',
      body: Type.Object({
        application: Type.Optional(Type.Union([Type.Literal('oldest_first'), Type.Literal('proportional')])),
        serviceOrder: Type.Optional(Type.Array(Type.Union([Type.Literal('electric'), Type.Literal('water'), Type.Literal('fiber')]), { minItems: 3, maxItems: 3 })),
        returnedPaymentFeeCents: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })), cashOnlyReturns: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
        cashOnlyWindowMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })), reason: Reason,
      }, closed),
      response: { 200: SettingsSchema },
    },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return payments.updateSettings(db, actorOf(request), clock, patch, reason);
  });

  // ---- deposits and reports ----
  app.post('/api/v1/deposits', {
    config: { access: 'csr2' },
    schema: { tags, summary: "Make the day's bank deposit from the closed counter and mail batches", body: Type.Object({ date: DateString }, closed), response: { 201: Json } },
  }, async (request, reply) => reply.code(201).send(await deposits.makeDeposit(db, actorOf(request), clock, request.body.date)));

  app.get('/api/v1/deposits', { config: { access: 'read' }, schema: { tags, summary: 'Deposits between two days, with their batches and any corrections since', querystring: Range, response: { 200: Type.Object({ items: Type.Array(Json) }) } } },
    async (request) => ({ items: await deposits.depositsBetween(db, request.query.from, request.query.to) }));
  app.get('/api/v1/deposits/:id', { config: { access: 'read' }, schema: { tags, summary: 'A deposit, its batches and any corrections since', params: IdParams, response: { 200: Json } } },
    async (request) => deposits.getDeposit(db, request.params.id));
  app.get('/api/v1/deposits/:id/slip.pdf', { config: { access: 'read' }, schema: { tags, summary: 'The deposit slip', params: IdParams } },
    async (request, reply) => sendPdf(reply, `deposit-${request.params.id}.pdf`, await depositSlipPdf(db, clock, meta, request.params.id)));

  app.get('/api/v1/reports/deposit-summary', { config: { access: 'read' }, schema: { tags, summary: 'Money received per day, channel and method, with reversals', querystring: Range, response: { 200: Type.Object({ items: Type.Array(Json) }) } } },
    async (request) => ({ items: await deposits.depositSummary(db, request.query.from, request.query.to) }));
  app.get('/api/v1/reports/reconciliation', { config: { access: 'read' }, schema: { tags, summary: "What we expect the bank to credit against the bank's BAI2 credits: matched, missing, unexpected, differences", querystring: Range, response: { 200: Json } } },
    async (request) => deposits.reconcile(db, request.query.from, request.query.to));
  app.get('/api/v1/reports/web-payments', { config: { access: 'read' }, schema: { tags, summary: 'Web and IVR card payments between two days and how each was matched', querystring: Range, response: { 200: Json } } },
    async (request) => payments.channelReport(db, 'card', request.query.from, request.query.to));
  app.get('/api/v1/reports/obi', { config: { access: 'read' }, schema: { tags, summary: 'Online bill-pay payments: received, matched, unmatched, corrected', querystring: Range, response: { 200: Json } } },
    async (request) => payments.channelReport(db, 'obi', request.query.from, request.query.to));

  // ---- returned payments ----
  app.get('/api/v1/payment-returns', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'Returned payments: the daily follow-up queue (status=open) or a date range',
      querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])), from: Type.Optional(DateString), to: Type.Optional(DateString) }, closed),
      response: { 200: Type.Object({ items: Type.Array(Json) }) },
    },
  }, async (request) => ({ items: await returns.returnsQueue(db, request.query) }));
  app.post('/api/v1/payment-returns/:id/resolve', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'Record the follow-up of a returned payment and close it', params: IdParams, body: Type.Object({ note: Reason }, closed), response: { 200: ReturnSchema } },
  }, async (request) => returns.resolveReturn(db, actorOf(request), clock, request.params.id, request.body.note));
  app.get('/api/v1/payment-returns/:id/letter.pdf', { config: { access: 'read' }, schema: { tags, summary: 'The letter to the customer about a returned payment', params: IdParams } },
    async (request, reply) => sendPdf(reply, `returned-payment-${request.params.id}.pdf`, await returnLetterPdf(db, clock, meta, request.params.id)));

  // ---- autopay ----
  app.get('/api/v1/accounts/:id/autopay', {
    config: { access: 'read' },
    schema: { tags, summary: "An account's autopay enrolment (only the last four digits of the bank account)", params: IdParams, response: { 200: Type.Object({ enrolment: Nullable(EnrolmentSchema) }) } },
  }, async (request) => ({ enrolment: await autopay.enrolmentOf(db, request.params.id) }));
  app.post('/api/v1/accounts/:id/autopay', {
    config: { access: 'csr1' },
    schema: {
      tags, summary: 'Enrol an account in ACH autopay (the routing check digit is verified; a prenote goes in the next file)', params: IdParams,
      body: Type.Object({ routingNumber: Type.String({ pattern: '^[0-9]{9}$' }), bankAccountNumber: Type.String({ minLength: 1, maxLength: 17 }), bankAccountType: Type.Union([Type.Literal('checking'), Type.Literal('savings')]), holderName: Type.String({ minLength: 1, maxLength: 120 }) }, closed),
      response: { 201: EnrolmentSchema },
    },
  }, async (request, reply) => reply.code(201).send(await autopay.enrol(db, actorOf(request), clock, { accountId: request.params.id, ...request.body })));
  app.post('/api/v1/accounts/:id/autopay/remove', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'End autopay for an account', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: EnrolmentSchema } },
  }, async (request) => autopay.removeEnrolment(db, actorOf(request), clock, request.params.id, request.body.reason));
  app.post('/api/v1/autopay/files', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'The NACHA debit file for the bills due on a day (made once; asking again returns the same file)', body: Type.Object({ dueDate: DateString }, closed), response: { 200: Type.Object({ fileId: Type.Integer(), dueDate: Type.String(), effectiveDate: Type.String(), entries: Type.Integer(), debits: Type.Integer(), prenotes: Type.Integer(), totalCents: Type.Integer(), body: Type.String(), existing: Type.Boolean() }) } },
  }, async (request) => autopay.achFileFor(db, actorOf(request), clock, request.body.dueDate));
}
