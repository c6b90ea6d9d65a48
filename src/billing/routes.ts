import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, IdParams, Nullable, PageQuery, Reason, toPage } from '../platform/http/schemas.ts';
import { BillLineSchema } from '../tariff/routes.ts';
import { runBilling } from './run.ts';
import { billPdf, runPrintFile } from './statement-service.ts';
import * as billing from './service.ts';

const closed = { additionalProperties: false } as const;
const Cycle = Type.Integer({ minimum: 1, maximum: 99 });
const ScheduleItem = Type.Object({
  id: Type.Integer(), year: Type.Integer(), cycle: Type.Integer(), month: Type.Integer(), readDate: Type.String(), billDate: Type.String(), dueDate: Type.String(),
  runId: Nullable(Type.Integer()), runStatus: Nullable(Type.String()),
});
export const BillSchema = Type.Object({
  id: Type.Integer(), runId: Nullable(Type.Integer()), accountId: Type.Integer(), agreementId: Type.Integer(), service: Type.String(), customerClass: Type.String(), rateCode: Type.String(),
  periodFrom: Type.String(), periodTo: Type.String(), billDate: Type.String(), dueDate: Type.String(), status: Type.String(), final: Type.Boolean(),
  usage: Nullable(Type.String()), usageUnit: Nullable(Type.String()), demandKw: Nullable(Type.String()), estimated: Type.Boolean(),
  totalCents: Type.Integer(), taxCents: Type.Integer(), lines: Type.Array(BillLineSchema), receivedKwh: Nullable(Type.String({ description: 'Net metering: kWh sent to the grid in the period' })), bankedKwh: Nullable(Type.String({ description: 'Net metering: credit carried to the next bill, kWh' })), rebillOf: Nullable(Type.Integer()), cancelReason: Nullable(Type.String()),
  exceptions: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), message: Type.String(), status: Type.String(), resolvedAt: Nullable(Type.String()), resolutionReason: Nullable(Type.String()) })),
});
const Run = Type.Object({ id: Type.Integer(), cycle: Type.Integer(), readDate: Type.String(), billDate: Type.String(), dueDate: Type.String(), status: Type.String(), startedAt: Type.String(), finishedAt: Nullable(Type.String()), summary: Type.Unknown() });
const HeldBill = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), accountNumber: Type.String(), service: Type.String(), periodFrom: Type.String(), periodTo: Type.String(), totalCents: Type.Integer(),
  reasons: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })), createdAt: Type.String(),
});
const ReasonBody = Type.Object({ reason: Reason }, closed);

export function registerBillingRoutes(app: App, { db, clock, config }: Deps): void {
  const tags = ['billing'];

  app.get('/api/v1/billing/schedule', {
    config: { access: 'read' },
    schema: { tags, summary: "A year's billing schedule: read, bill and due dates per cycle and month", querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 9998 }) }, closed), response: { 200: Type.Object({ items: Type.Array(ScheduleItem) }) } },
  }, async (request) => ({ items: await billing.scheduleOfYear(db, request.query.year) }));

  app.post('/api/v1/billing/schedule/generate', {
    config: { access: 'supervisor' },
    schema: {
      tags, summary: 'Generate a year of the schedule (weekends and holidays skipped); entries already billed keep their dates',
      body: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 9998 }), cycles: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })), reason: Reason }, closed),
      response: { 200: Type.Object({ entries: Type.Array(ScheduleItem), generated: Type.Integer(), kept: Type.Integer() }) },
    },
  }, async (request) => billing.generateYear(db, actorOf(request), clock, { year: request.body.year, cycles: request.body.cycles }, request.body.reason));

  app.patch('/api/v1/billing/schedule/:id', {
    config: { access: 'supervisor' },
    schema: { tags, summary: "Move a schedule entry's dates (still business days, in order)", params: IdParams, body: Type.Object({ readDate: Type.Optional(DateString), billDate: Type.Optional(DateString), dueDate: Type.Optional(DateString), reason: Reason }, closed), response: { 200: ScheduleItem } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return billing.adjustScheduleEntry(db, actorOf(request), clock, request.params.id, patch, reason);
  });

  /** Runs under way in this process, for the screen's progress bar. */
  const live = new Map<number, { runId: number; status: 'running' | 'completed' | 'failed'; total: number; done: number; posted: number; held: number; skipped: number; error: string | null }>();

  app.post('/api/v1/billing/runs', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: 'Run billing for a cycle: the schedule entry with the latest read date on or before `date`. Running it again finishes a stopped run and bills nobody twice. With wait=false it answers 202 at once with the run id; follow it at /billing/runs/{id}/progress',
      body: Type.Object({ cycle: Cycle, date: DateString, wait: Type.Optional(Type.Boolean({ default: true })) }, closed), response: { 200: Type.Unknown(), 202: Type.Object({ runId: Type.Integer(), total: Type.Integer() }) },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const opts = { cycle: request.body.cycle, date: request.body.date, timeZone: config.timeZone };
    if (request.body.wait !== false) return runBilling(db, actor, clock, opts);
    return new Promise((resolve, reject) => {
      let started: number | null = null;
      runBilling(db, actor, clock, {
        ...opts,
        onStarted: (runId, total) => {
          started = runId;
          live.set(runId, { runId, status: 'running', total, done: 0, posted: 0, held: 0, skipped: 0, error: null });
          resolve(reply.status(202).send({ runId, total }));
        },
        onProgress: (p) => Object.assign(live.get(started!)!, p),
      }).then((summary) => {
        if (started === null) resolve(reply.status(200).send(summary));
        else live.get(started)!.status = 'completed';
      }, (error: unknown) => {
        if (started === null) reject(error);
        else Object.assign(live.get(started)!, { status: 'failed', error: (error as Error).message });
        request.log.error({ err: error }, 'billing run failed');
      });
    });
  });

  app.get('/api/v1/billing/runs/:id/progress', {
    config: { access: 'read' },
    schema: {
      tags, summary: "A run's progress: agreements done of the total, posted, held and skipped so far. `stopped`: the run did not finish (run it again to finish it)", params: IdParams,
      response: { 200: Type.Object({ runId: Type.Integer(), status: Type.String(), total: Type.Integer(), done: Type.Integer(), posted: Type.Integer(), held: Type.Integer(), skipped: Type.Integer(), error: Nullable(Type.String()) }) },
    },
  }, async (request) => {
    const mine = live.get(request.params.id);
    if (mine) return mine;
    const run = await billing.getRun(db, request.params.id);
    const s = run.summary as { selected?: number; bills?: { posted: number; held: number } } | null;
    return { runId: run.id, status: run.status === 'completed' ? 'completed' : 'stopped', total: s?.selected ?? 0, done: s?.selected ?? 0, posted: s?.bills?.posted ?? 0, held: s?.bills?.held ?? 0, skipped: 0, error: null };
  });

  app.get('/api/v1/billing/runs', {
    config: { access: 'read' },
    schema: { tags, summary: 'Billing runs, newest first', querystring: Type.Object(PageQuery, closed), response: { 200: Type.Object({ items: Type.Array(Run), next: Nullable(Type.Integer()) }) } },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const rows = await billing.runsList(db, { after: request.query.after ?? 0, limit });
    return { items: rows.slice(0, limit), next: rows.length > limit ? rows[limit - 1]!.id : null };
  });

  app.get('/api/v1/billing/runs/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'One billing run with its counts, register and control totals', params: IdParams, response: { 200: Run } },
  }, async (request) => billing.getRun(db, request.params.id));

  app.get('/api/v1/billing/exceptions', {
    config: { access: 'read' },
    schema: { tags, summary: 'The billing-exceptions queue: held bills with their reasons, oldest first', querystring: Type.Object({ ...PageQuery, code: Type.Optional(Type.String()) }, closed), response: { 200: Type.Object({ items: Type.Array(HeldBill), next: Nullable(Type.Integer()) }) } },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    return toPage(await billing.heldBills(db, { after: request.query.after ?? 0, limit, code: request.query.code }), limit);
  });

  app.get('/api/v1/bills/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'A bill with its lines (tariff version, quantity, unit price, derivation) and exceptions', params: IdParams, response: { 200: BillSchema } },
  }, async (request) => billing.getBill(db, request.params.id));

  app.get('/api/v1/bills/:id/pdf', {
    config: { access: 'read' },
    schema: { tags, summary: "The customer's statement that carries this bill, as PDF (every posted bill of the account from the same run)", params: IdParams },
  }, async (request, reply) => {
    const pdf = await billPdf(db, config, request.params.id, clock.now());
    return reply.type('application/pdf').header('content-disposition', `inline; filename="bill-${request.params.id}.pdf"`).send(pdf);
  });

  app.get('/api/v1/billing/runs/:id/print-file', {
    config: { access: 'csr2' },
    schema: { tags, summary: "The print vendor's batch file of a run (pipe-delimited, CRLF; layout in src/billing/statement.ts)", params: IdParams },
  }, async (request, reply) => {
    const file = await runPrintFile(db, config, request.params.id, clock.now());
    return reply.type('text/plain; charset=utf-8').header('content-disposition', `attachment; filename="print-run-${request.params.id}.txt"`).send(file);
  });

  app.get('/api/v1/accounts/:id/bills', {
    config: { access: 'read' },
    schema: { tags, summary: "An account's bills, newest first", params: IdParams, response: { 200: Type.Object({ items: Type.Array(BillSchema) }) } },
  }, async (request) => ({ items: await billing.billsOfAccount(db, request.params.id) }));

  const action = (path: string, access: 'csr1' | 'csr2' | 'supervisor', summary: string, run: (id: number, actor: ReturnType<typeof actorOf>, reason: string) => Promise<billing.Bill>) =>
    app.post(`/api/v1/bills/:id/${path}`, {
      config: { access },
      schema: { tags, summary, params: IdParams, body: ReasonBody, response: { 200: BillSchema } },
    }, async (request) => run(request.params.id, actorOf(request), request.body.reason));

  action('approve', 'csr2', 'Post a held bill as it stands, with the reason it is right', (id, actor, reason) => billing.approveBill(db, actor, clock, id, reason));
  action('recalculate', 'csr1', "Rate a held bill again from today's reads and tariffs (it is replaced; posted if it now passes)", (id, actor, reason) => billing.recalculateBill(db, actor, clock, config.timeZone, id, reason));
  action('keep-holding', 'csr1', 'Leave a held bill on hold, with a note of why', (id, actor, reason) => billing.keepHolding(db, actor, id, reason));
  action('cancel', 'supervisor', 'Cancel a bill; a posted bill is reversed on the ledger', (id, actor, reason) => billing.cancelBill(db, actor, clock, id, reason));
  action('rebill', 'csr2', 'Cancel a posted bill and bill the same period again', (id, actor, reason) => billing.rebill(db, actor, clock, config.timeZone, id, reason));

  const Exemption = Type.Object({ id: Type.Integer(), accountId: Type.Integer(), taxCode: Type.String(), certificate: Nullable(Type.String()), startsOn: Type.String(), endsOn: Nullable(Type.String()), reason: Type.String(), createdAt: Type.String() });
  app.get('/api/v1/accounts/:id/tax-exemptions', {
    config: { access: 'read' },
    schema: { tags, summary: "An account's tax exemptions", params: IdParams, response: { 200: Type.Object({ items: Type.Array(Exemption) }) } },
  }, async (request) => ({ items: await billing.taxExemptionsOf(db, request.params.id) }));

  app.post('/api/v1/accounts/:id/tax-exemptions', {
    config: { access: 'supervisor' },
    schema: {
      tags, summary: 'Exempt an account from one tax (a tariff tax code such as PUT) from a day; bills from then on leave it off', params: IdParams,
      body: Type.Object({ taxCode: Type.String({ pattern: '^[A-Z0-9][A-Z0-9_-]{0,19}$' }), certificate: Type.Optional(Nullable(Type.String({ maxLength: 100 }))), startsOn: DateString, endsOn: Type.Optional(Nullable(DateString)), reason: Reason }, closed),
      response: { 201: Exemption },
    },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.status(201).send(await billing.addTaxExemption(db, actorOf(request), clock, { ...input, accountId: request.params.id }, reason));
  });

  app.post('/api/v1/tax-exemptions/:id/end', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'End a tax exemption on a day', params: IdParams, body: Type.Object({ endsOn: DateString, reason: Reason }, closed), response: { 200: Exemption } },
  }, async (request) => billing.endTaxExemption(db, actorOf(request), request.params.id, request.body.endsOn, request.body.reason));

  app.post('/api/v1/service-agreements/:id/final-bill', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'The final bill of an ended agreement, now', params: IdParams, response: { 200: BillSchema } },
  }, async (request) => billing.finalBill(db, actorOf(request), clock, config.timeZone, request.params.id));
}
