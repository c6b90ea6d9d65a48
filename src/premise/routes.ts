import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, IdParams, Nullable, OptionalReason, Page, PageQuery, Reason, toPage } from '../platform/http/schemas.ts';
import * as premises from './service.ts';

const closed = { additionalProperties: false } as const;
const lit = Type.Enum;
const ServiceKind = lit(['electric', 'water', 'fiber'] as const);
const PointStatus = lit(['active', 'inactive', 'disconnected'] as const);
const PremiseType = lit(['single_family', 'multi_family', 'mobile_home', 'commercial', 'industrial', 'irrigation', 'public'] as const);
const MeterStatus = lit(['in_stock', 'installed', 'removed', 'testing', 'retired'] as const);
const ReadUnit = lit(['kWh', 'gal', 'cf', 'ccf'] as const);
const Decimal = Type.String({ pattern: '^[0-9]{1,8}(\\.[0-9]{1,4})?$', description: 'Exact decimal, e.g. "1" or "40.5"' });

const AddressIn = Type.Object({
  line1: Type.String({ minLength: 1, maxLength: 100 }),
  line2: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  city: Type.String({ minLength: 1, maxLength: 60 }),
  state: Type.String({ pattern: '^[A-Za-z]{2}$' }),
  postalCode: Type.String({ pattern: '^[0-9]{5}(-[0-9]{4})?$' }),
}, closed);
export const PremiseSchema = Type.Object({
  id: Type.Integer(),
  address: Type.Object({ line1: Type.String(), line2: Nullable(Type.String()), city: Type.String(), state: Type.String(), postalCode: Type.String() }),
  premiseType: Type.String(),
  area: Type.String(),
  spaceHeating: Type.Boolean(),
  ownerCustomerId: Nullable(Type.Integer()),
});
export const ServicePointSchema = Type.Object({ id: Type.Integer(), premiseId: Type.Integer(), service: ServiceKind, status: PointStatus, route: Nullable(Type.String()), locationNote: Nullable(Type.String()) });
export const MeterSchema = Type.Object({
  id: Type.Integer(), serial: Type.String(), kind: Type.String(), manufacturer: Nullable(Type.String()), model: Nullable(Type.String()),
  multiplier: Type.String(), dials: Type.Integer(), size: Nullable(Type.String()), status: Type.String(), unit: ReadUnit,
});
const InstallationSchema = Type.Object({ id: Type.Integer(), meterId: Type.Integer(), servicePointId: Type.Integer(), installedOn: Type.String(), removedOn: Nullable(Type.String()) });
export const AgreementSchema = Type.Object({
  id: Type.Integer(), accountId: Type.Integer(), servicePointId: Type.Integer(), rateCode: Type.String(), startDate: Type.String(), endDate: Nullable(Type.String()),
  endReason: Nullable(Type.String()), finalBillDue: Type.Boolean({ description: 'Service ended and the final bill is still to be issued' }),
});
export const LandlordAgreementSchema = Type.Object({
  id: Type.Integer(), premiseId: Type.Integer(), accountId: Type.Integer(), services: Type.Array(ServiceKind), rateCode: Nullable(Type.String()), startDate: Type.String(), endDate: Nullable(Type.String()),
});
const PointDetail = Type.Object({ ...ServicePointSchema.properties, meter: Nullable(MeterSchema), agreements: Type.Array(Type.Object({ ...AgreementSchema.properties, accountNumber: Type.String() })) });
const PremiseDetailSchema = Type.Object({ ...PremiseSchema.properties, servicePoints: Type.Array(PointDetail) });
export const AccountServiceSchema = Type.Object({
  agreement: AgreementSchema,
  servicePoint: ServicePointSchema,
  premise: Type.Object({ id: Type.Integer(), address: PremiseSchema.properties.address, premiseType: Type.String(), area: Type.String() }),
  meter: Nullable(Type.Object({ id: Type.Integer(), serial: Type.String(), kind: Type.String(), multiplier: Type.String(), dials: Type.Integer(), size: Nullable(Type.String()), status: Type.String(), unit: ReadUnit, installedOn: Nullable(Type.String()) })),
});
const RateCode = Type.String({ pattern: '^[A-Z0-9][A-Z0-9_-]{0,19}$', description: 'Rate code, e.g. RES-E' });

export function registerPremiseRoutes(app: App, { db, clock }: Deps): void {
  let tags = ['premises'];

  app.get('/api/v1/premises', {
    config: { access: 'read' },
    schema: { tags, summary: 'List premises, optionally by part of the address', querystring: Type.Object({ ...PageQuery, address: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }, closed), response: { 200: Page(PremiseSchema) } },
  }, async (request) => {
    const { limit = 50, after = 0, address } = request.query;
    return toPage(await premises.listPremises(db, { after, limit: limit + 1, address }), limit);
  });

  app.post('/api/v1/premises', {
    config: { access: 'csr2' },
    schema: {
      tags,
      summary: 'Add a premise (a service address)',
      body: Type.Object({ address: AddressIn, premiseType: PremiseType, area: Type.String({ minLength: 1, maxLength: 40 }), spaceHeating: Type.Optional(Type.Boolean()), ownerCustomerId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))), reason: OptionalReason }, closed),
      response: { 201: PremiseSchema },
    },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.status(201).send(await premises.createPremise(db, actorOf(request), input, reason));
  });

  app.get('/api/v1/premises/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'A premise with its service points, meters and agreements', params: IdParams, response: { 200: PremiseDetailSchema } },
  }, async (request) => premises.getPremise(db, request.params.id));

  app.patch('/api/v1/premises/:id', {
    config: { access: 'csr2' },
    schema: {
      tags,
      summary: 'Change a premise',
      params: IdParams,
      body: Type.Object({ address: Type.Optional(AddressIn), premiseType: Type.Optional(PremiseType), area: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })), spaceHeating: Type.Optional(Type.Boolean()), ownerCustomerId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))), reason: Reason }, closed),
      response: { 200: PremiseSchema },
    },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return premises.updatePremise(db, actorOf(request), request.params.id, patch, reason);
  });

  app.post('/api/v1/premises/:id/service-points', {
    config: { access: 'csr2' },
    schema: {
      tags,
      summary: 'Add an electric, water or fiber service point at a premise',
      params: IdParams,
      body: Type.Object({ service: ServiceKind, status: Type.Optional(PointStatus), route: Type.Optional(Nullable(Type.String({ maxLength: 20 }))), locationNote: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), reason: OptionalReason }, closed),
      response: { 201: ServicePointSchema },
    },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.status(201).send(await premises.addServicePoint(db, actorOf(request), request.params.id, input, reason));
  });

  app.get('/api/v1/service-points/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'A service point with its meter and agreements', params: IdParams, response: { 200: PointDetail } },
  }, async (request) => premises.getServicePoint(db, request.params.id));

  app.patch('/api/v1/service-points/:id', {
    config: { access: 'csr2' },
    schema: {
      tags,
      summary: "Change a service point's status, route or location note",
      params: IdParams,
      body: Type.Object({ status: Type.Optional(PointStatus), route: Type.Optional(Nullable(Type.String({ maxLength: 20 }))), locationNote: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), reason: Reason }, closed),
      response: { 200: ServicePointSchema },
    },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return premises.updateServicePoint(db, actorOf(request), clock, request.params.id, patch, reason);
  });

  tags = ['meters'];

  app.get('/api/v1/meters', {
    config: { access: 'read' },
    schema: { tags, summary: 'List meters, by serial prefix, status or kind', querystring: Type.Object({ ...PageQuery, serial: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })), status: Type.Optional(MeterStatus), kind: Type.Optional(lit(['electric', 'water'] as const)) }, closed), response: { 200: Page(MeterSchema) } },
  }, async (request) => {
    const { limit = 50, after = 0, ...filters } = request.query;
    return toPage(await premises.listMeters(db, { ...filters, after, limit: limit + 1 }), limit);
  });

  app.post('/api/v1/meters', {
    config: { access: 'csr2' },
    schema: {
      tags,
      summary: 'Receive a meter into stock',
      body: Type.Object({
        serial: Type.String({ pattern: '^[A-Za-z0-9-]{3,40}$' }),
        kind: lit(['electric', 'water'] as const),
        manufacturer: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
        model: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
        multiplier: Type.Optional(Decimal),
        dials: Type.Integer({ minimum: 1, maximum: 10 }),
        size: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
        unit: Type.Optional(ReadUnit),
        reason: OptionalReason,
      }, closed),
      response: { 201: MeterSchema },
    },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.status(201).send(await premises.createMeter(db, actorOf(request), input, reason));
  });

  app.get('/api/v1/meters/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'A meter with where it has been installed', params: IdParams, response: { 200: Type.Object({ ...MeterSchema.properties, installations: Type.Array(InstallationSchema) }) } },
  }, async (request) => premises.getMeter(db, request.params.id));

  app.patch('/api/v1/meters/:id', {
    config: { access: 'csr2' },
    schema: {
      tags,
      summary: "Correct a meter's record (multiplier, dials, size, make) or set it to stock, testing or retired",
      params: IdParams,
      body: Type.Object({
        manufacturer: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
        model: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
        multiplier: Type.Optional(Decimal),
        dials: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
        size: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
        status: Type.Optional(lit(['in_stock', 'testing', 'retired'] as const)),
        reason: Reason,
      }, closed),
      response: { 200: MeterSchema },
    },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return premises.updateMeter(db, actorOf(request), request.params.id, patch, reason);
  });

  app.post('/api/v1/meters/:id/install', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Install a meter at a service point', params: IdParams, body: Type.Object({ servicePointId: Type.Integer({ minimum: 1 }), installedOn: DateString, reason: Reason }, closed), response: { 201: InstallationSchema } },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.status(201).send(await premises.installMeter(db, actorOf(request), request.params.id, input, reason));
  });

  app.post('/api/v1/meters/:id/remove', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Take a meter out of service', params: IdParams, body: Type.Object({ removedOn: DateString, reason: Reason }, closed), response: { 200: InstallationSchema } },
  }, async (request) => {
    const { reason, ...input } = request.body;
    return premises.removeMeter(db, actorOf(request), request.params.id, input, reason);
  });

  tags = ['service agreements'];

  app.get('/api/v1/service-agreements', {
    config: { access: 'read' },
    schema: { tags, summary: 'List service agreements by account or service point', querystring: Type.Object({ ...PageQuery, accountId: Type.Optional(Type.Integer({ minimum: 1 })), servicePointId: Type.Optional(Type.Integer({ minimum: 1 })) }, closed), response: { 200: Page(AgreementSchema) } },
  }, async (request) => {
    const { limit = 50, after = 0, ...filters } = request.query;
    return toPage(await premises.listAgreements(db, { ...filters, after, limit: limit + 1 }), limit);
  });

  app.post('/api/v1/service-agreements', {
    config: { access: 'csr2' },
    schema: {
      tags,
      summary: 'Start service: an account at a service point under a rate, from a date',
      body: Type.Object({ accountId: Type.Integer({ minimum: 1 }), servicePointId: Type.Integer({ minimum: 1 }), rateCode: RateCode, startDate: DateString, endDate: Type.Optional(Nullable(DateString)), reason: OptionalReason }, closed),
      response: { 201: AgreementSchema },
    },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.status(201).send(await premises.createAgreement(db, actorOf(request), input, reason));
  });

  app.get('/api/v1/service-agreements/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'One service agreement', params: IdParams, response: { 200: AgreementSchema } },
  }, async (request) => premises.getAgreement(db, request.params.id));

  app.patch('/api/v1/service-agreements/:id', {
    config: { access: 'csr2' },
    schema: { tags, summary: "Change an agreement's rate code or end date", params: IdParams, body: Type.Object({ rateCode: Type.Optional(RateCode), endDate: Type.Optional(Nullable(DateString)), reason: Reason }, closed), response: { 200: AgreementSchema } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return premises.updateAgreement(db, actorOf(request), request.params.id, patch, reason);
  });

  tags = ['landlord agreements'];

  app.get('/api/v1/premises/:id/landlord-agreements', {
    config: { access: 'read' },
    schema: { tags, summary: "A premise's landlord agreements, newest first", params: IdParams, response: { 200: Type.Array(LandlordAgreementSchema) } },
  }, async (request) => premises.landlordAgreementsOfPremise(db, request.params.id));

  app.post('/api/v1/landlord-agreements', {
    config: { access: 'csr2' },
    schema: {
      tags,
      summary: "An owner's account takes service at a rental premise whenever a tenant moves out",
      body: Type.Object({ premiseId: Type.Integer({ minimum: 1 }), accountId: Type.Integer({ minimum: 1 }), services: Type.Array(ServiceKind, { minItems: 1, maxItems: 3 }), rateCode: Type.Optional(Nullable(RateCode)), startDate: DateString, endDate: Type.Optional(Nullable(DateString)), reason: OptionalReason }, closed),
      response: { 201: LandlordAgreementSchema },
    },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.status(201).send(await premises.createLandlordAgreement(db, actorOf(request), input, reason));
  });

  app.post('/api/v1/landlord-agreements/:id/end', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'End a landlord agreement', params: IdParams, body: Type.Object({ endDate: DateString, reason: Reason }, closed), response: { 200: LandlordAgreementSchema } },
  }, async (request) => premises.endLandlordAgreement(db, actorOf(request), request.params.id, request.body.endDate, request.body.reason));
}
