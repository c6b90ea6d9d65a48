import { Type } from 'typebox';
import { MeterReadSchema } from '../meter-read/index.ts';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, IdParams, Nullable, PageQuery, Reason, toPage } from '../platform/http/schemas.ts';
import { completeOrder, overrideOrder } from './complete.ts';
import * as orders from './service.ts';
import { workListFor } from './work-list-service.ts';

const closed = { additionalProperties: false } as const;
const lit = Type.Enum;
const OrderTypes = ['move_in', 'move_out', 'meter_exchange', 'meter_test', 'check_read', 'disconnect', 'reconnect', 'tamper_investigation'] as const;
const OrderType = lit(OrderTypes);
const OrderStatus = lit(['created', 'scheduled', 'held', 'completed', 'cancelled'] as const);
const Reading = Type.String({ pattern: '^[0-9]{1,10}(\\.[0-9]{1,4})?$' });
const Multiplier = Type.String({ pattern: '^[0-9]{1,8}(\\.[0-9]{1,4})?$' });
const RateCode = Type.String({ pattern: '^[A-Z0-9][A-Z0-9_-]{0,19}$' });
const Json = Type.Record(Type.String(), Type.Unknown());

const FieldRead = Type.Object({ reading: Reading, rollover: Type.Optional(Type.Boolean()), readType: Type.Optional(lit(['actual', 'customer'] as const)) }, closed);
const MeterAsFound = Type.Object({ multiplier: Type.Optional(Multiplier), dials: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })) }, closed);
export const FieldDataSchema = Type.Object({
  read: Type.Optional(Nullable(FieldRead)),
  newMeterRead: Type.Optional(Nullable(FieldRead)),
  newMeter: Type.Optional(MeterAsFound),
  oldMeter: Type.Optional(MeterAsFound),
  sealNumber: Type.Optional(Type.String({ maxLength: 40 })),
  sealRemoved: Type.Optional(Type.String({ maxLength: 40 })),
  test: Type.Optional(Type.Object({ accuracyPercent: Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,3})?$' }), passed: Type.Boolean() }, closed)),
  tamperFound: Type.Optional(Type.Boolean()),
  findings: Type.Optional(Type.String({ maxLength: 2000 })),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
}, closed);
const RequestSchema = Type.Object({
  rateCode: Type.Optional(RateCode),
  newMeterId: Type.Optional(Type.Integer({ minimum: 1 })),
  vacate: Type.Optional(Type.Boolean()),
  oldMeterTo: Type.Optional(lit(['testing', 'in_stock', 'retired'] as const)),
  forNonPayment: Type.Optional(Type.Boolean()),
}, closed);

export const OrderSchema = Type.Object({
  id: Type.Integer(), number: Type.String(), type: Type.String(), status: Type.String(), groupId: Nullable(Type.Integer()), groupKind: Nullable(Type.String()),
  accountId: Nullable(Type.Integer()), servicePointId: Type.Integer(), meterId: Nullable(Type.Integer()), effectiveDate: Type.String(), scheduledFor: Nullable(Type.String()),
  crew: Nullable(Type.String()), priority: Type.String(), reason: Type.String(), instructions: Nullable(Type.String()), request: RequestSchema, fieldData: Nullable(FieldDataSchema), result: Nullable(Json),
  source: Type.String(), createdAt: Type.String(), completedAt: Nullable(Type.String()), cancelledAt: Nullable(Type.String()), cancelReason: Nullable(Type.String()),
});
const OrderListItem = Type.Object({
  ...OrderSchema.properties, service: Type.String(), route: Nullable(Type.String()), premiseId: Type.Integer(), address: Type.String(), meterSerial: Nullable(Type.String()),
  accountNumber: Nullable(Type.String()), customerName: Nullable(Type.String()), openExceptions: Type.Integer(),
});
const OrderDetail = Type.Object({
  ...OrderListItem.properties,
  exceptions: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), message: Type.String(), status: Type.String(), resolutionReason: Nullable(Type.String()), resolvedAt: Nullable(Type.String()) })),
  reads: Type.Array(MeterReadSchema),
});
const Completion = Type.Object({
  order: OrderSchema, alreadyCompleted: Type.Boolean(), held: Type.Boolean(),
  findings: Type.Array(Type.Object({ code: Type.String(), severity: Type.String(), message: Type.String() })), reads: Type.Array(MeterReadSchema),
});

export function registerServiceOrderRoutes(app: App, { db, config, clock }: Deps): void {
  const tags = ['service orders'];

  app.get('/api/v1/service-orders', {
    config: { access: 'read' },
    schema: {
      tags,
      summary: 'Service orders: the queue by status, type, account, service point, route or date',
      querystring: Type.Object({ ...PageQuery, status: Type.Optional(Type.Array(OrderStatus, { maxItems: 5 })), type: Type.Optional(OrderType), accountId: Type.Optional(Type.Integer({ minimum: 1 })), servicePointId: Type.Optional(Type.Integer({ minimum: 1 })), route: Type.Optional(Type.String({ maxLength: 20 })), date: Type.Optional(DateString), order: Type.Optional(lit(['oldest', 'newest'] as const)) }, closed),
      response: { 200: Type.Object({ items: Type.Array(OrderListItem), next: Nullable(Type.Integer()) }) },
    },
  }, async (request) => {
    const { limit = 50, after = 0, order, ...q } = request.query;
    const rows = await orders.listOrders(db, { ...q, after, limit: limit + 1, newestFirst: order === 'newest' });
    return toPage(rows, limit);
  });

  app.post('/api/v1/service-orders', {
    config: { access: 'csr1' },
    schema: {
      tags,
      summary: 'Make a service order for a service point',
      body: Type.Object({
        type: OrderType, servicePointId: Type.Integer({ minimum: 1 }), accountId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))), effectiveDate: DateString,
        scheduledFor: Type.Optional(Nullable(DateString)), crew: Type.Optional(Nullable(Type.String({ maxLength: 40 }))), priority: Type.Optional(lit(['normal', 'urgent'] as const)),
        instructions: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))), request: Type.Optional(RequestSchema),
        idempotencyKey: Type.Optional(Type.String({ minLength: 8, maxLength: 200, description: 'The same key returns the order made the first time' })), reason: Reason,
      }, closed),
      response: { 201: OrderSchema },
    },
  }, async (request, reply) => reply.status(201).send(await orders.createOrder(db, actorOf(request), { ...request.body, source: request.headers.authorization ? 'api' : 'staff' })));

  app.post('/api/v1/service-orders/transfer', {
    config: { access: 'csr1' },
    schema: {
      tags,
      summary: 'Transfer of service: stop an account at its old service points and start it at new ones, as one group of orders',
      body: Type.Object({
        accountId: Type.Integer({ minimum: 1 }), effectiveDate: DateString, scheduledFor: Type.Optional(Nullable(DateString)),
        stop: Type.Array(Type.Object({ servicePointId: Type.Integer({ minimum: 1 }) }, closed), { maxItems: 10 }),
        start: Type.Array(Type.Object({ servicePointId: Type.Integer({ minimum: 1 }), rateCode: RateCode }, closed), { maxItems: 10 }),
        reason: Reason,
      }, closed),
      response: { 201: Type.Object({ orders: Type.Array(OrderSchema) }) },
    },
  }, async (request, reply) => reply.status(201).send({ orders: await orders.createTransfer(db, actorOf(request), request.body) }));

  app.get('/api/v1/service-orders/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'One order with its exceptions and the reads it took', params: IdParams, response: { 200: OrderDetail } },
  }, async (request) => orders.getOrderDetail(db, request.params.id));

  app.post('/api/v1/service-orders/:id/schedule', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'Schedule (or reschedule) an order for a day and crew', params: IdParams, body: Type.Object({ scheduledFor: DateString, crew: Type.Optional(Nullable(Type.String({ maxLength: 40 }))), priority: Type.Optional(lit(['normal', 'urgent'] as const)), reason: Type.Optional(Reason) }, closed), response: { 200: OrderSchema } },
  }, async (request) => {
    const { reason, ...input } = request.body;
    return orders.scheduleOrder(db, actorOf(request), request.params.id, input, reason);
  });

  app.post('/api/v1/service-orders/:id/complete', {
    config: { access: 'csr1' },
    schema: {
      tags,
      summary: 'Complete an order with what the field found. Failing checks hold it in the exceptions queue unless a supervisor gives an override reason.',
      params: IdParams,
      body: Type.Object({ fieldData: FieldDataSchema, override: Type.Optional(Reason) }, closed),
      response: { 200: Completion },
    },
  }, async (request) => completeOrder(db, actorOf(request), request.params.id, request.body.fieldData, { override: request.body.override, today: clock.today() }));

  app.post('/api/v1/service-orders/:id/override', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Complete a held order with its field data despite its exceptions, with the reason (audited)', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: Completion } },
  }, async (request) => overrideOrder(db, actorOf(request), request.params.id, request.body.reason));

  app.post('/api/v1/service-orders/:id/cancel', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'Cancel an order with the reason', params: IdParams, body: Type.Object({ reason: Reason }, closed), response: { 200: OrderSchema } },
  }, async (request) => orders.cancelOrder(db, actorOf(request), request.params.id, request.body.reason));

  app.get('/api/v1/order-exceptions', {
    config: { access: 'read' },
    schema: {
      tags,
      summary: 'The order-exceptions queue: checks that hold orders, oldest first',
      querystring: Type.Object(PageQuery, closed),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.Integer(), orderId: Type.Integer(), orderNumber: Type.String(), orderType: Type.String(), effectiveDate: Type.String(), code: Type.String(), message: Type.String(), accountId: Nullable(Type.Integer()), accountNumber: Nullable(Type.String()), address: Type.String(), service: Type.String(), createdAt: Type.String() })), next: Nullable(Type.Integer()) }) },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const rows = await orders.openExceptions(db, { after: request.query.after ?? 0, limit: limit + 1 });
    return toPage(rows, limit);
  });

  app.get('/api/v1/work-list', {
    config: { access: 'read' },
    schema: {
      tags,
      summary: 'The field work list for a day (and route): open orders as JSON, CSV or a printable PDF',
      querystring: Type.Object({ date: DateString, route: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })), format: Type.Optional(lit(['json', 'csv', 'pdf'] as const)) }, closed),
    },
  }, async (request, reply) => {
    const { date, route, format = 'json' } = request.query;
    const list = await workListFor(db, { date, route });
    if (format === 'json') return { date, route: route ?? null, orders: list.orders };
    const name = `work-list-${date}${route ? `-${route.replace(/[^\w-]/g, '_')}` : ''}`;
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(list.csv());
    const pdf = await list.pdf({ utilityName: config.utilityName, generatedAt: clock.now(), timeZone: config.timeZone });
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${name}.pdf"`).send(pdf);
  });
}
