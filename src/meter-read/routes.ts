import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, IdParams, Nullable, OptionalReason, PageQuery, Reason, toPage } from '../platform/http/schemas.ts';
import { invalid } from '../platform/errors.ts';
import * as files from './import.ts';
import * as reads from './service.ts';

const closed = { additionalProperties: false } as const;
const lit = Type.Enum;
const Reading = Type.String({ pattern: '^[0-9]{1,10}(\\.[0-9]{1,4})?$', description: 'The register as the dials show it, before the multiplier, e.g. "04512"' });
const Purpose = lit(['cycle', 'off_cycle', 'move_in', 'move_out', 'exchange_out', 'exchange_in', 'install', 'remove', 'check', 'test', 'disconnect', 'reconnect', 'investigation'] as const);
const Ratio = Type.String({ pattern: '^[0-9]{1,4}(\\.[0-9]{1,4})?$' });

const ExceptionBrief = Type.Object({ id: Type.Integer(), code: Type.String(), message: Type.String(), status: Type.String() });
export const MeterReadSchema = Type.Object({
  id: Type.Integer(), meterId: Type.Integer(), servicePointId: Type.Integer(), readDate: Type.String(), readAt: Nullable(Type.String()),
  reading: Type.String(), readType: Type.String(), purpose: Type.String(), source: Type.String(), rollover: Type.Boolean(),
  previousReadId: Nullable(Type.Integer()), usage: Nullable(Type.String({ description: 'Multiplier applied, in the meter unit; null for the first read of an installation' })),
  usageOn: Type.String({ description: 'The service day the usage belongs to' }), multiplier: Type.String(), dials: Type.Integer(), status: Type.String(),
  estimateRule: Nullable(Type.String()), orderId: Nullable(Type.Integer()), importId: Nullable(Type.Integer()), note: Nullable(Type.String()),
  exceptions: Type.Array(ExceptionBrief),
});
const Finding = Type.Object({ code: Type.String(), message: Type.String() });
const Recorded = Type.Object({ read: MeterReadSchema, findings: Type.Array(Finding) });
const ImportResultSchema = Type.Object({
  importId: Type.Integer(), fileName: Type.String(), format: Type.String(), records: Type.Integer(), imported: Type.Integer(), rejected: Type.Integer(),
  duplicates: Type.Integer({ description: 'Reads or intervals already on file, skipped' }), duplicate: Type.Boolean({ description: 'The whole file was imported before; nothing was imported now' }),
  rejections: Type.Array(Type.Object({ line: Nullable(Type.Integer()), serial: Type.Optional(Type.String()), reason: Type.String() })),
  exceptions: Type.Integer({ description: 'Imported reads held in the read-exceptions queue' }),
});
const Determinants = Type.Object({
  meterId: Type.Integer(), flow: Type.String(), touSchedule: Type.String(), from: Type.String(), to: Type.String(), kwh: Type.String(), maxKw: Type.String(),
  maxKwAt: Nullable(Type.String()), tou: Type.Record(Type.String(), Type.String()), intervals: Type.Integer(), expectedIntervals: Type.Integer(),
  missingIntervals: Type.Integer(), days: Type.Array(Type.Object({ date: Type.String(), kwh: Type.String() })),
});
const Settings = Type.Object({ service: Type.String(), highRatio: Type.String(), lowRatio: Type.String(), minDailyUse: Type.String(), rolloverMaxShare: Type.String() });
const Json = Type.Record(Type.String(), Type.Unknown());

export function registerMeterReadRoutes(app: App, { db, config }: Deps): void {
  const tags = ['meter reads'];

  app.get('/api/v1/meters/:id/reads', {
    config: { access: 'read' },
    schema: { tags, summary: "A meter's read history, newest first", params: IdParams, querystring: Type.Object({ limit: PageQuery.limit, before: Type.Optional(DateString), includeVoided: Type.Optional(Type.Boolean()) }, closed), response: { 200: Type.Object({ items: Type.Array(MeterReadSchema) }) } },
  }, async (request) => ({ items: await reads.readsOfMeter(db, request.params.id, { limit: request.query.limit ?? 50, before: request.query.before, includeVoided: request.query.includeVoided }) }));

  app.post('/api/v1/meters/:id/reads', {
    config: { access: 'csr1' },
    schema: {
      tags,
      summary: 'Enter a read by hand; it is measured from the last read and validated',
      params: IdParams,
      body: Type.Object({ readDate: DateString, reading: Reading, rollover: Type.Optional(Type.Boolean()), readType: Type.Optional(lit(['actual', 'customer'] as const)), purpose: Type.Optional(Purpose), note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))), reason: OptionalReason }, closed),
      response: { 201: Recorded },
    },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.status(201).send(await reads.recordRead(db, actorOf(request), { ...input, meterId: request.params.id, source: 'manual' }, { reason: reason ?? 'Read entered' }));
  });

  app.post('/api/v1/meters/:id/reads/estimate', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Estimate a missing read by the estimation rule; it is marked as an estimate with the rule', params: IdParams, body: Type.Object({ readDate: DateString, purpose: Type.Optional(Purpose), reason: Reason }, closed), response: { 201: Recorded } },
  }, async (request, reply) => reply.status(201).send(await reads.estimate(db, actorOf(request), { meterId: request.params.id, readDate: request.body.readDate, purpose: request.body.purpose }, request.body.reason)));

  app.get('/api/v1/meters/:id/determinants', {
    config: { access: 'read' },
    schema: {
      tags,
      summary: 'Billing determinants from interval data: kWh, maximum kW demand and time-of-use buckets over local dates',
      params: IdParams,
      querystring: Type.Object({ from: DateString, to: DateString, tou: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })), flow: Type.Optional(lit(['delivered', 'received'] as const)) }, closed),
      response: { 200: Determinants },
    },
  }, async (request) => files.determinantsFor(db, config.timeZone, request.params.id, request.query));

  app.get('/api/v1/service-points/:id/reads', {
    config: { access: 'read' },
    schema: { tags, summary: 'Reads at a service point across every meter it has had, newest first', params: IdParams, querystring: Type.Object({ limit: PageQuery.limit, from: Type.Optional(DateString), to: Type.Optional(DateString) }, closed), response: { 200: Type.Object({ items: Type.Array(MeterReadSchema) }) } },
  }, async (request) => ({ items: await reads.readsOfServicePoint(db, request.params.id, { limit: request.query.limit ?? 50, from: request.query.from, to: request.query.to }) }));

  app.get('/api/v1/service-points/:id/usage', {
    config: { access: 'read' },
    schema: { tags, summary: 'Use at a service point over service days, counting each meter once across exchanges', params: IdParams, querystring: Type.Object({ from: DateString, to: DateString }, closed), response: { 200: Type.Object({ usage: Type.String(), reads: Type.Integer(), estimated: Type.Integer(), exceptions: Type.Integer() }) } },
  }, async (request) => {
    if (request.query.to < request.query.from) throw invalid('querystring.to', `is before from (${request.query.from})`);
    return reads.usageOf(db, request.params.id, request.query.from, request.query.to);
  });

  app.get('/api/v1/meter-reads/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'One read with its exceptions', params: IdParams, response: { 200: MeterReadSchema } },
  }, async (request) => reads.getRead(db, request.params.id));

  app.post('/api/v1/meter-reads/:id/void', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Void a wrong read; the next read is measured from the one before', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: MeterReadSchema } },
  }, async (request) => reads.voidRead(db, actorOf(request), request.params.id, request.body.reason));

  app.post('/api/v1/meter-reads/:id/correct', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Replace a wrong read with the right value (the wrong one is voided)', params: IdParams, body: Type.Object({ reading: Reading, rollover: Type.Optional(Type.Boolean()), readDate: Type.Optional(DateString), reason: Reason }, closed), response: { 201: Type.Object({ read: MeterReadSchema, findings: Type.Array(Finding), voided: MeterReadSchema }) } },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.status(201).send(await reads.correctRead(db, actorOf(request), request.params.id, input, reason));
  });

  app.get('/api/v1/read-exceptions', {
    config: { access: 'read' },
    schema: {
      tags,
      summary: 'The read-exceptions queue: reads that failed validation, oldest first',
      querystring: Type.Object({ ...PageQuery, code: Type.Optional(lit(['negative_use', 'high_vs_last_year', 'low_vs_last_year', 'high_vs_average', 'low_vs_average', 'zero_use_active', 'use_on_inactive'] as const)) }, closed),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            id: Type.Integer(), readId: Type.Integer(), code: Type.String(), message: Type.String(), createdAt: Type.String(), meterId: Type.Integer(), serial: Type.String(),
            servicePointId: Type.Integer(), service: Type.String(), readDate: Type.String(), reading: Type.String(), usage: Nullable(Type.String()), readType: Type.String(),
            unit: Type.String(), accountId: Nullable(Type.Integer()), accountNumber: Nullable(Type.String()), address: Type.String(),
          })),
          next: Nullable(Type.Integer()),
        }),
      },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const rows = await reads.openExceptions(db, { after: request.query.after ?? 0, limit: limit + 1, code: request.query.code });
    return toPage(rows, limit);
  });

  app.post('/api/v1/read-exceptions/:id/accept', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Accept a held read as right (for example a confirmed high use), with the reason', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: MeterReadSchema } },
  }, async (request) => reads.acceptException(db, actorOf(request), request.params.id, request.body.reason));

  app.post('/api/v1/meter-reads/:id/accept', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Accept a held read as right: every open exception on it, with the reason', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: MeterReadSchema } },
  }, async (request) => reads.acceptRead(db, actorOf(request), request.params.id, request.body.reason));

  app.get('/api/v1/read-validation-settings', {
    config: { access: 'read' },
    schema: { tags, summary: 'Validation thresholds per service', response: { 200: Type.Array(Settings) } },
  }, async () => reads.getValidationSettings(db));

  app.patch('/api/v1/read-validation-settings/:service', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Change the validation thresholds of a service', params: Type.Object({ service: lit(['electric', 'water'] as const) }), body: Type.Object({ highRatio: Type.Optional(Ratio), lowRatio: Type.Optional(Ratio), minDailyUse: Type.Optional(Ratio), rolloverMaxShare: Type.Optional(Ratio), reason: Reason }, closed), response: { 200: Settings } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return reads.updateValidationSettings(db, actorOf(request), request.params.service, patch, reason);
  });

  const fileTags = ['read files'];
  // Read files arrive as the raw file body, as a bank or head-end sends them.
  app.addContentTypeParser(['text/csv', 'text/plain', 'application/xml', 'text/xml', 'application/atom+xml', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: 64 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  app.post('/api/v1/read-imports', {
    config: { access: 'csr2' },
    bodyLimit: 64 * 1024 * 1024,
    schema: {
      tags: fileTags,
      summary: 'Import a read file: send the file itself as the body (text/csv, or application/xml for Green Button)',
      querystring: Type.Object({ format: lit(['csv', 'greenbutton'] as const), fileName: Type.String({ minLength: 1, maxLength: 200 }), layout: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })), meter: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Green Button: the meter serial' })) }, closed),
      response: { 200: ImportResultSchema },
    },
  }, async (request) => {
    const content = request.body;
    if (!Buffer.isBuffer(content)) throw invalid('body', 'send the file itself as the request body (Content-Type text/csv or application/xml)');
    const { format, fileName, layout, meter } = request.query;
    return files.importReads(db, actorOf(request), { format, fileName, content, layoutCode: layout, meterSerial: meter, timeZone: config.timeZone });
  });

  app.get('/api/v1/read-imports', {
    config: { access: 'read' },
    schema: { tags: fileTags, summary: 'Read files imported, newest first', querystring: Type.Object(PageQuery, closed), response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.Integer(), format: Type.String(), fileName: Type.String(), sha256: Type.String(), layoutCode: Nullable(Type.String()), records: Type.Integer(), imported: Type.Integer(), rejected: Type.Integer(), duplicates: Type.Integer(), rejections: Type.Array(Json), importedBy: Nullable(Type.Integer()), createdAt: Type.String() })), next: Nullable(Type.Integer()) }) } },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const rows = await files.listImports(db, { after: request.query.after ?? 0, limit: limit + 1 });
    return toPage(rows, limit);
  });

  app.get('/api/v1/read-imports/:id/file', {
    config: { access: 'read' },
    schema: { tags: fileTags, summary: 'The original file, as received', params: IdParams },
  }, async (request, reply) => {
    const f = await files.importFile(db, request.params.id);
    return reply.type('application/octet-stream').header('content-disposition', `attachment; filename="${f.fileName.replace(/[^\w.-]/g, '_')}"`).send(f.content);
  });

  app.get('/api/v1/read-file-layouts', {
    config: { access: 'read' },
    schema: { tags: fileTags, summary: 'Column layouts of CSV read files', response: { 200: Type.Array(Json) } },
  }, async () => (await files.listLayouts(db)) as unknown as Record<string, unknown>[]);

  app.put('/api/v1/read-file-layouts', {
    config: { access: 'admin' },
    schema: { tags: fileTags, summary: 'Add or change a CSV read file layout (see docs in src/meter-read/csv-layout.ts)', body: Type.Object({ layout: Json, reason: Reason }, closed), response: { 200: Json } },
  }, async (request) => (await files.saveLayout(db, actorOf(request), request.body.layout, request.body.reason)) as unknown as Record<string, unknown>);

  app.get('/api/v1/tou-schedules', {
    config: { access: 'read' },
    schema: { tags, summary: 'Time-of-use schedules that interval data is bucketed by', response: { 200: Type.Array(Json) } },
  }, async () => (await files.listTouSchedules(db)) as unknown as Record<string, unknown>[]);

  app.put('/api/v1/tou-schedules', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Add or change a time-of-use schedule', body: Type.Object({ schedule: Json, reason: Reason }, closed), response: { 200: Json } },
  }, async (request) => (await files.saveTouSchedule(db, actorOf(request), request.body.schedule, request.body.reason)) as unknown as Record<string, unknown>);
}
