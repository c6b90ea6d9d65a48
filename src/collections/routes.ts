import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { sendPdf } from '../platform/http/reply.ts';
import { actorOf, DateString, IdParams, Nullable, PageQuery, Reason } from '../platform/http/schemas.ts';
import * as collections from './service.ts';

const closed = { additionalProperties: false } as const;
const Year = Type.Integer({ minimum: 2000, maximum: 9998 });
const EntrySchema = Type.Object({
  billingScheduleId: Type.Integer(), year: Type.Integer(), month: Type.Integer(), cycle: Type.Integer(), dueDate: Type.String(), pastDueDate: Type.String(), lateFeeDate: Type.String(),
  noticeDate: Type.String(), disconnectEligibleDate: Type.String(), disconnectEligibleOutOfStateDate: Type.String(),
});

export function registerCollectionsRoutes(app: App, { db, clock, config }: Deps): void {
  const tags = ['collections'];
  app.get('/api/v1/collections/schedule', {
    config: { access: 'read' },
    schema: { tags, summary: "A year's delinquency schedule: per cycle and month, the due date, past-due, late-fee and notice dates and the first day a disconnection may happen", querystring: Type.Object({ year: Year }, closed), response: { 200: Type.Object({ items: Type.Array(EntrySchema) }) } },
  }, async (request) => ({ items: await collections.delinquencyScheduleOfYear(db, request.query.year) }));
  app.post('/api/v1/collections/schedule/generate', {
    config: { access: 'supervisor' },
    schema: { tags, summary: "Make a year's delinquency schedule again from its billing schedule (it is made with the billing schedule)", body: Type.Object({ year: Year, reason: Reason }, closed), response: { 200: Type.Object({ year: Type.Integer(), items: Type.Array(EntrySchema) }) } },
  }, async (request) => {
    const r = await collections.generateDelinquencySchedule(db, actorOf(request), clock, request.body.year, request.body.reason);
    return { year: r.year, items: r.entries };
  });

  const meta = { utilityName: config.utilityName, utilityAddress: config.utilityAddress, utilityPhone: config.utilityPhone, timeZone: config.timeZone };
  const AccountParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
  const Json = Type.Any();

  app.get('/api/v1/collections/settings', {
    config: { access: 'read' },
    schema: { tags, summary: 'The collections settings and the path\'s steps (states, entry conditions, fees)', response: { 200: Json } },
  }, async () => collections.getSettings(db));
  app.patch('/api/v1/collections/settings', {
    config: { access: 'supervisor' },
    schema: {
      tags, summary: 'Change collections settings (minimum past-due amount, reconnection fees, business hours, notice periods not below the law)',
      body: Type.Object({
        lateFeeBusinessDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })), noticeBusinessDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
        mailedNoticeBusinessDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })), outOfStateNoticeBusinessDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
        minimumPastDueCents: Type.Optional(Type.Integer({ minimum: 0 })), reconnectFeeCents: Type.Optional(Type.Integer({ minimum: 0 })), afterHoursFeeCents: Type.Optional(Type.Integer({ minimum: 0 })),
        homeState: Type.Optional(Type.String({ minLength: 2, maxLength: 2 })), businessHoursFrom: Type.Optional(Type.String()), businessHoursTo: Type.Optional(Type.String()),
        assistanceText: Type.Optional(Type.String({ minLength: 10, maxLength: 2000 })), reason: Reason,
      }, closed),
      response: { 200: Json },
    },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return collections.updateSettings(db, actorOf(request), clock, patch, reason);
  });
  app.patch('/api/v1/collections/steps/:code', {
    config: { access: 'supervisor' },
    schema: {
      tags, summary: 'Change a step of the collections path: its day, the past-due amount and customer classes it applies to, its fee, on or off',
      params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) }),
      body: Type.Object({
        days: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })), minPastDueCents: Type.Optional(Type.Integer({ minimum: 0 })),
        customerClasses: Type.Optional(Nullable(Type.Array(Type.Union(['residential', 'commercial', 'industrial', 'irrigation', 'public_authority'].map((c) => Type.Literal(c)))))),
        active: Type.Optional(Type.Boolean()), feeCents: Type.Optional(Type.Integer({ minimum: 0 })), feePercent: Type.Optional(Type.String()), feeMinBalanceCents: Type.Optional(Type.Integer({ minimum: 0 })), reason: Reason,
      }, closed),
      response: { 200: Json },
    },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return collections.updateStep(db, actorOf(request), clock, request.params.code, patch, reason);
  });

  app.post('/api/v1/collections/runs', {
    config: { access: 'csr2' },
    schema: {
      tags, summary: 'The daily collections run for a date (default today): fees, notices, disconnect and reconnect orders; a date runs once (a second run does nothing and says so)',
      body: Type.Object({ date: Type.Optional(DateString) }, closed), response: { 200: Json },
    },
  }, async (request) => collections.runCollections(db, actorOf(request), clock, meta, request.body.date ?? clock.today()));
  app.get('/api/v1/collections/runs', {
    config: { access: 'read' }, schema: { tags, summary: 'Recent collections runs and what each did', response: { 200: Type.Object({ items: Json }) } },
  }, async () => ({ items: await collections.runsList(db) }));
  app.get('/api/v1/collections/runs/:date', {
    config: { access: 'read' }, schema: { tags, summary: 'A date\'s run: every action, every account passed over and the protection that held it, the notices', params: Type.Object({ date: DateString }), response: { 200: Json } },
  }, async (request) => collections.runOfDate(db, request.params.date));
  app.get('/api/v1/collections/runs/:date/print-file', {
    config: { access: 'read' }, schema: { tags, summary: 'The print vendor\'s batch file (CSV) of a date\'s notices', params: Type.Object({ date: DateString }) },
  }, async (request, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="collection-notices-${request.params.date}.csv"`).send(await collections.printFileOf(db, request.params.date)));
  app.get('/api/v1/collections/notices/:id/pdf', {
    config: { access: 'read' }, schema: { tags, summary: 'A collection notice as PDF', params: IdParams },
  }, async (request, reply) => {
    const { pdf, notice } = await collections.noticePdfOf(db, clock, meta, request.params.id);
    return sendPdf(reply, `notice-${notice.kind}-${notice.id}.pdf`, pdf);
  });
  app.get('/api/v1/collections/queue', {
    config: { access: 'read' },
    schema: { tags, summary: 'The collections work queue: open cases, each with its next step, its day, and what holds it', querystring: Type.Object({ ...PageQuery, dueBy: Type.Optional(DateString) }, closed), response: { 200: Type.Object({ items: Json, next: Nullable(Type.Integer()) }) } },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const items = await collections.workQueue(db, clock, { after: request.query.after ?? 0, limit, dueBy: request.query.dueBy });
    return { items, next: items.length === limit ? items[items.length - 1]!.case.id : null };
  });
  app.get('/api/v1/accounts/:id/collections', {
    config: { access: 'read' }, schema: { tags, summary: 'An account\'s collections panel: past due, what holds it, its cases, actions and notices', params: AccountParams, response: { 200: Json } },
  }, async (request) => collections.accountCollections(db, clock, request.params.id));
  app.post('/api/v1/accounts/:id/collections/disconnect', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'A disconnect order for non-payment outside the run: refused without a served notice whose day has come, or while a protection holds disconnection', params: AccountParams, body: Type.Object({ reason: Reason }, closed), response: { 200: Json } },
  }, async (request) => collections.orderDisconnect(db, actorOf(request), clock, request.params.id, request.body.reason));
  app.post('/api/v1/accounts/:id/collections/reconnect', {
    config: { access: 'csr1' },
    schema: {
      tags, summary: 'Reconnect disconnected service once the past-due amount is paid or a protection holds (reconnection fee; after-hours fee outside business hours; a supervisor may waive)',
      params: AccountParams, body: Type.Object({ afterHours: Type.Optional(Type.Boolean()), waiveFee: Type.Optional(Type.Boolean()), reason: Reason }, closed), response: { 200: Json },
    },
  }, async (request) => collections.requestReconnect(db, actorOf(request), clock, request.params.id, request.body, config.timeZone));
}
