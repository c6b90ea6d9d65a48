import { Type } from 'typebox';
import { AuditPage, auditPaging, auditTrail } from '../audit/index.ts';
import { invalid } from '../platform/errors.ts';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, DateString, IdParams, Nullable, OptionalReason, Page, PageQuery, Reason, toPage } from '../platform/http/schemas.ts';
import { isValidAccountNumber } from './account-number.ts';
import {
  AccountSchema, AccountStatus, AddressSchema, AlertKind, AlertSchema, ContactSchema, CustomerClass, CustomerDetailSchema,
  CustomerFields, CustomerSchema, IdentifierSchema, NewContactSchema, NewIdentifierSchema,
} from './schemas.ts';
import * as customers from './service.ts';

const closed = { additionalProperties: false } as const;
const Cycle = Type.Integer({ minimum: 1, maximum: 99, description: 'Billing cycle number' });

export function registerCustomerRoutes(app: App, { db, clock }: Deps): void {
  let tags = ['customers'];

  app.get('/api/v1/customers', {
    config: { access: 'read' },
    schema: { tags, summary: 'List customers, optionally by part of the name', querystring: Type.Object({ ...PageQuery, name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }, closed), response: { 200: Page(CustomerSchema) } },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    return toPage(await customers.listCustomers(db, { after: request.query.after ?? 0, limit: limit + 1, name: request.query.name }), limit);
  });

  app.post('/api/v1/customers', {
    config: { access: 'csr1' },
    schema: {
      tags,
      summary: 'Add a customer (a person or a business) with contacts and identifiers',
      body: Type.Object({
        kind: Type.Union([Type.Literal('person'), Type.Literal('business')]),
        ...CustomerFields,
        contacts: Type.Optional(Type.Array(NewContactSchema, { maxItems: 20 })),
        identifiers: Type.Optional(Type.Array(NewIdentifierSchema, { maxItems: 20 })),
        reason: OptionalReason,
      }, closed),
      response: { 201: CustomerDetailSchema },
    },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.status(201).send(await customers.createCustomer(db, actorOf(request), input, reason));
  });

  app.get('/api/v1/customers/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'A customer with contacts, identifiers and accounts', params: IdParams, response: { 200: CustomerDetailSchema } },
  }, async (request) => customers.getCustomer(db, request.params.id));

  app.patch('/api/v1/customers/:id', {
    config: { access: 'csr1' },
    schema: { tags, summary: "Change a customer's name, birth date or language", params: IdParams, body: Type.Object({ ...CustomerFields, reason: Reason }, closed), response: { 200: CustomerDetailSchema } },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return customers.updateCustomer(db, actorOf(request), request.params.id, patch, reason);
  });

  const ContactParams = Type.Object({ id: Type.Integer({ minimum: 1 }), contactId: Type.Integer({ minimum: 1 }) });
  app.post('/api/v1/customers/:id/contacts', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'Add a phone number or email address', params: IdParams, body: Type.Object({ ...NewContactSchema.properties, reason: OptionalReason }, closed), response: { 201: ContactSchema } },
  }, async (request, reply) => {
    const { reason, ...contact } = request.body;
    return reply.status(201).send(await customers.addContact(db, actorOf(request), request.params.id, contact, reason));
  });
  app.delete('/api/v1/customers/:id/contacts/:contactId', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'Remove a contact (kept in history)', params: ContactParams, body: Type.Object({ reason: Reason }, closed), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await customers.removeContact(db, actorOf(request), clock, request.params.id, request.params.contactId, request.body.reason);
    return reply.status(204).send(null);
  });

  const IdentifierParams = Type.Object({ id: Type.Integer({ minimum: 1 }), identifierId: Type.Integer({ minimum: 1 }) });
  app.post('/api/v1/customers/:id/identifiers', {
    config: { access: 'csr1' },
    schema: { tags, summary: "Add an identifier (driver's licence, last 4 of SSN, EIN, ...)", params: IdParams, body: Type.Object({ ...NewIdentifierSchema.properties, reason: OptionalReason }, closed), response: { 201: IdentifierSchema } },
  }, async (request, reply) => {
    const { reason, ...identifier } = request.body;
    return reply.status(201).send(await customers.addIdentifier(db, actorOf(request), request.params.id, identifier, reason));
  });
  app.delete('/api/v1/customers/:id/identifiers/:identifierId', {
    config: { access: 'csr1' },
    schema: { tags, summary: 'Remove an identifier (kept in history)', params: IdentifierParams, body: Type.Object({ reason: Reason }, closed), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await customers.removeIdentifier(db, actorOf(request), clock, request.params.id, request.params.identifierId, request.body.reason);
    return reply.status(204).send(null);
  });

  tags = ['accounts'];

  app.get('/api/v1/accounts', {
    config: { access: 'read' },
    schema: {
      tags,
      summary: 'List accounts by status, cycle or customer',
      querystring: Type.Object({ ...PageQuery, status: Type.Optional(AccountStatus), cycle: Type.Optional(Cycle), customerId: Type.Optional(Type.Integer({ minimum: 1 })) }, closed),
      response: { 200: Page(Type.Object({ ...AccountSchema.properties, customerName: Type.String() })) },
    },
  }, async (request) => {
    const { limit = 50, after = 0, ...filters } = request.query;
    return toPage(await customers.listAccounts(db, { ...filters, after, limit: limit + 1 }), limit);
  });

  app.post('/api/v1/accounts', {
    config: { access: 'csr1' },
    schema: {
      tags,
      summary: 'Open an account for a customer; the account number (with check digit) is assigned',
      body: Type.Object({
        customerId: Type.Integer({ minimum: 1 }),
        customerClass: CustomerClass,
        billingCycle: Cycle,
        billingAddress: AddressSchema,
        status: Type.Optional(AccountStatus),
        openedOn: Type.Optional(DateString),
        reason: OptionalReason,
      }, closed),
      response: { 201: AccountSchema },
    },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.status(201).send(await customers.createAccount(db, actorOf(request), clock, input, reason));
  });

  app.get('/api/v1/accounts/by-number/:accountNumber', {
    config: { access: 'read' },
    schema: { tags, summary: 'Find an account by its number; a wrong check digit is refused', params: Type.Object({ accountNumber: Type.String({ pattern: '^[0-9]{9}$' }) }), response: { 200: AccountSchema } },
  }, async (request) => {
    const { accountNumber } = request.params;
    if (!isValidAccountNumber(accountNumber)) throw invalid('params.accountNumber', `${accountNumber} has a wrong check digit`);
    const account = await customers.findAccountByNumber(db, accountNumber);
    if (!account) throw invalid('params.accountNumber', `no account numbered ${accountNumber}`);
    return account;
  });

  app.get('/api/v1/accounts/:id', {
    config: { access: 'read' },
    schema: { tags, summary: 'One account', params: IdParams, response: { 200: AccountSchema } },
  }, async (request) => customers.getAccount(db, request.params.id));

  app.patch('/api/v1/accounts/:id', {
    config: { access: 'csr1' },
    schema: {
      tags,
      summary: "Change an account's status, class, cycle or billing address",
      params: IdParams,
      body: Type.Object({
        status: Type.Optional(AccountStatus),
        customerClass: Type.Optional(CustomerClass),
        billingCycle: Type.Optional(Cycle),
        billingAddress: Type.Optional(AddressSchema),
        closedOn: Type.Optional(Nullable(DateString)),
        reason: Reason,
      }, closed),
      response: { 200: AccountSchema },
    },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return customers.updateAccount(db, actorOf(request), request.params.id, patch, reason);
  });

  app.get('/api/v1/accounts/:id/alerts', {
    config: { access: 'read' },
    schema: { tags, summary: "An account's alerts, newest first, with whether each is in force today", params: IdParams, response: { 200: Type.Object({ items: Type.Array(AlertSchema) }) } },
  }, async (request) => ({ items: await customers.listAlerts(db, clock, request.params.id) }));

  app.post('/api/v1/accounts/:id/alerts', {
    config: { access: 'csr1' },
    schema: {
      tags,
      summary: 'Put an alert on an account (medical certificate, bankruptcy, deceased, cash only, ...)',
      params: IdParams,
      body: Type.Object({ kind: AlertKind, note: Type.Optional(Type.String({ maxLength: 500 })), startsOn: Type.Optional(DateString), endsOn: Type.Optional(Nullable(DateString)), reason: OptionalReason }, closed),
      response: { 201: AlertSchema },
    },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.status(201).send(await customers.addAlert(db, actorOf(request), clock, request.params.id, input, reason));
  });

  app.post('/api/v1/accounts/:id/alerts/:alertId/clear', {
    config: { access: 'csr2' },
    schema: { tags, summary: 'Clear an alert, with the reason', params: Type.Object({ id: Type.Integer({ minimum: 1 }), alertId: Type.Integer({ minimum: 1 }) }), body: Type.Object({ reason: Reason }, closed), response: { 200: AlertSchema } },
  }, async (request) => customers.clearAlert(db, actorOf(request), clock, request.params.id, request.params.alertId, request.body.reason));

  app.get('/api/v1/accounts/:id/audit', {
    config: { access: 'read' },
    schema: { tags: ['audit'], summary: "An account's change history, newest first", params: IdParams, querystring: Type.Object(auditPaging, closed), response: { 200: AuditPage } },
  }, async (request) => {
    await customers.getAccount(db, request.params.id);
    return auditTrail(db, { accountId: request.params.id, before: request.query.before, limit: request.query.limit ?? 50 });
  });
}
