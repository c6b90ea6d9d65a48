import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, Nullable, Reason } from '../platform/http/schemas.ts';
import { TariffVersionSchema } from './schema.ts';
import * as tariffs from './service.ts';

const closed = { additionalProperties: false } as const;
const Code = Type.String({ pattern: '^[A-Z0-9][A-Z0-9_-]{0,19}$', description: 'Rate code, e.g. RES-E' });
const Decimal = Type.String({ pattern: '^[0-9]{1,12}(\\.[0-9]{1,6})?$' });
const Json = Type.Record(Type.String(), Type.Unknown());

const Version = Type.Object({
  id: Type.Integer(), code: Type.String(), version: Type.Integer(), service: Type.String(), name: Type.String(), effectiveFrom: Type.String(),
  loadedAt: Type.String(), reason: Type.String(), superseded: Type.Boolean(), tariff: Type.Unknown({ description: 'The tariff file (docs/tariffs.md)' }),
});
export const BillLineSchema = Type.Object({
  code: Type.String(), description: Type.String(), kind: Type.String(), quantity: Type.String(), unit: Type.String(), unitPrice: Type.String(),
  amountCents: Type.Integer(), tariffVersion: Type.String(), from: Type.String(), to: Type.String(), derivation: Type.String(),
});
const QuoteResult = Type.Object({
  tariff: Type.String(), lines: Type.Array(BillLineSchema), totalCents: Type.Integer(),
  bankedKwh: Type.Optional(Type.String()), lapsedKwh: Type.Optional(Type.String()), billingDemandKw: Type.Optional(Type.String()),
});

export function registerTariffRoutes(app: App, { db, clock }: Deps): void {
  const tags = ['tariffs'];

  app.get('/api/v1/tariffs', {
    config: { access: 'read' },
    schema: { tags, summary: 'The live version of every rate schedule, by code and effective date', response: { 200: Type.Object({ items: Type.Array(Version) }) } },
  }, async () => ({ items: await tariffs.listTariffs(db) }));

  app.get('/api/v1/tariffs/schema', {
    config: { access: 'read' },
    schema: { tags, summary: 'The JSON Schema of a tariff file (docs/tariffs.md)' },
  }, async () => TariffVersionSchema);

  app.get('/api/v1/tariffs/:code', {
    config: { access: 'read' },
    schema: { tags, summary: 'Every version of one rate schedule, newest first', params: Type.Object({ code: Code }), response: { 200: Type.Object({ items: Type.Array(Version) }) } },
  }, async (request) => ({ items: await tariffs.tariffHistory(db, request.params.code) }));

  app.get('/api/v1/tariffs/:code/versions/:version', {
    config: { access: 'read' },
    schema: { tags, summary: 'One version of a rate schedule', params: Type.Object({ code: Code, version: Type.Integer({ minimum: 1 }) }), response: { 200: Version } },
  }, async (request) => tariffs.getTariffVersion(db, request.params.code, request.params.version));

  app.post('/api/v1/tariffs', {
    config: { access: 'supervisor' },
    schema: {
      tags, summary: 'Load a tariff file as the next version of its code (the same content again changes nothing)',
      body: Type.Object({ tariff: Json, reason: Reason }, closed),
      response: { 200: Type.Object({ version: Version, unchanged: Type.Boolean(), superseded: Nullable(Type.Integer()) }), 201: Type.Object({ version: Version, unchanged: Type.Boolean(), superseded: Nullable(Type.Integer()) }) },
    },
  }, async (request, reply) => {
    const result = await tariffs.loadTariff(db, actorOf(request), clock, request.body.tariff, request.body.reason);
    return reply.status(result.unchanged ? 200 : 201).send(result);
  });

  app.post('/api/v1/quotes', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'Rate a period with a loaded tariff (code) or a tariff file (tariff): every line explained, and the total',
      body: Type.Object({
        code: Type.Optional(Code), tariff: Type.Optional(Json), from: DateString, to: DateString,
        usage: Type.Optional(Decimal), usageUnit: Type.Optional(Type.Enum(['kWh', 'gal', 'cf', 'ccf'] as const)), demandKw: Type.Optional(Decimal),
        tou: Type.Optional(Type.Record(Type.String(), Decimal)), receivedKwh: Type.Optional(Decimal), bankedKwh: Type.Optional(Decimal),
        meterSize: Type.Optional(Type.String({ maxLength: 10 })), priorDemandsKw: Type.Optional(Type.Array(Decimal, { maxItems: 24 })),
        partial: Type.Optional(Type.Boolean()), firstBill: Type.Optional(Type.Boolean()), taxExemptions: Type.Optional(Type.Array(Type.String())),
      }, closed),
      response: { 200: QuoteResult },
    },
  }, async (request) => {
    const { code, tariff, from, to, ...rest } = request.body;
    const which = tariff !== undefined ? { tariff } : { code: code ?? '' };
    return tariffs.quote(db, { ...rest, ...which, periodFrom: from, periodTo: to });
  });
}
