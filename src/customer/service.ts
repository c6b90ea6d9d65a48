import { recordChange } from '../audit/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { accountNumberFor } from './account-number.ts';
import * as repo from './repository.ts';

// ---- shapes the rest of Ratepayer sees ----

export interface Address {
  line1: string;
  line2: string | null;
  city: string;
  state: string;
  postalCode: string;
}
export interface Contact {
  id: number;
  kind: 'phone' | 'mobile' | 'email';
  value: string;
  label: string | null;
  isPrimary: boolean;
}
export interface Identifier {
  id: number;
  kind: string;
  value: string;
}
export interface Customer {
  id: number;
  kind: 'person' | 'business';
  firstName: string | null;
  lastName: string | null;
  businessName: string | null;
  displayName: string;
  dateOfBirth: string | null;
  preferredLanguage: string;
  createdAt: string;
  updatedAt: string;
}
export interface Account {
  id: number;
  accountNumber: string;
  customerId: number;
  status: 'pending' | 'active' | 'final' | 'closed';
  customerClass: string;
  billingCycle: number;
  billingAddress: Address;
  openedOn: string;
  closedOn: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface Alert {
  id: number;
  accountId: number;
  kind: string;
  note: string | null;
  startsOn: string;
  endsOn: string | null;
  active: boolean;
  createdAt: string;
  clearedAt: string | null;
  clearReason: string | null;
}
export interface CustomerDetail extends Customer {
  contacts: Contact[];
  identifiers: Identifier[];
  accounts: Account[];
}

const toCustomer = (r: repo.CustomerRow): Customer => ({
  id: r.id,
  kind: r.kind,
  firstName: r.first_name,
  lastName: r.last_name,
  businessName: r.business_name,
  displayName: r.display_name,
  dateOfBirth: r.date_of_birth,
  preferredLanguage: r.preferred_language,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});
const toContact = (r: repo.ContactRow): Contact => ({ id: r.id, kind: r.kind, value: r.value, label: r.label, isPrimary: r.is_primary });
const toIdentifier = (r: repo.IdentifierRow): Identifier => ({ id: r.id, kind: r.kind, value: r.value });
export const toAccount = (r: repo.AccountRow): Account => ({
  id: r.id,
  accountNumber: r.account_number,
  customerId: r.customer_id,
  status: r.status,
  customerClass: r.customer_class,
  billingCycle: r.billing_cycle,
  billingAddress: { line1: r.billing_line1, line2: r.billing_line2, city: r.billing_city, state: r.billing_state, postalCode: r.billing_postal_code },
  openedOn: r.opened_on,
  closedOn: r.closed_on,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});
const toAlert = (r: repo.AlertRow, today: string): Alert => ({
  id: r.id,
  accountId: r.account_id,
  kind: r.kind,
  note: r.note,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  active: r.cleared_at === null && r.starts_on <= today && (r.ends_on === null || r.ends_on >= today),
  createdAt: r.created_at.toISOString(),
  clearedAt: r.cleared_at?.toISOString() ?? null,
  clearReason: r.clear_reason,
});

/** The audit view of a record: its public shape without timestamps. */
const auditOf = <T extends { createdAt?: string; updatedAt?: string }>(x: T): Record<string, unknown> => {
  const { createdAt: _c, updatedAt: _u, ...rest } = x;
  return rest;
};

// ---- customers ----

export interface NewContact {
  kind: 'phone' | 'mobile' | 'email';
  value: string;
  label?: string;
  isPrimary?: boolean;
}
export interface NewIdentifier {
  kind: string;
  value: string;
}
export interface CustomerInput {
  kind: 'person' | 'business';
  firstName?: string | null;
  lastName?: string | null;
  businessName?: string | null;
  dateOfBirth?: string | null;
  preferredLanguage?: string;
}

function displayNameOf(c: { kind: string; firstName?: string | null; lastName?: string | null; businessName?: string | null }): string {
  if (c.kind === 'business') {
    if (!c.businessName?.trim()) throw invalid('body.businessName', 'is required for a business');
    return c.businessName.trim();
  }
  if (!c.lastName?.trim()) throw invalid('body.lastName', 'is required for a person');
  return [c.firstName?.trim(), c.lastName.trim()].filter(Boolean).join(' ');
}

/** Phone numbers are kept as typed and as digits (without a leading US 1) for search. */
export function phoneDigits(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

function checkContact(c: NewContact, field: string): void {
  if (c.kind === 'email') {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.value)) throw invalid(`${field}.value`, `"${c.value}" is not an email address`);
  } else if (phoneDigits(c.value).length !== 10) {
    throw invalid(`${field}.value`, `"${c.value}" is not a 10-digit phone number`);
  }
}

function checkIdentifier(i: NewIdentifier, field: string): void {
  if (i.kind === 'ssn_last4' && !/^\d{4}$/.test(i.value)) throw invalid(`${field}.value`, 'ssn_last4 must be exactly 4 digits (the full number is never stored)');
}

async function insertContact(db: Db, customerId: number, c: NewContact) {
  if (c.isPrimary) await repo.clearPrimaryContact(db, customerId, c.kind);
  return repo.insertContact(db, {
    customer_id: customerId,
    kind: c.kind,
    value: c.value.trim(),
    phone_digits: c.kind === 'email' ? null : phoneDigits(c.value),
    label: c.label ?? null,
    is_primary: c.isPrimary ?? false,
  });
}

export async function createCustomer(
  db: Db,
  actor: Actor,
  input: CustomerInput & { contacts?: NewContact[]; identifiers?: NewIdentifier[] },
  reason = 'New customer',
): Promise<CustomerDetail> {
  const displayName = displayNameOf(input);
  input.contacts?.forEach((c, i) => checkContact(c, `body.contacts.${i}`));
  input.identifiers?.forEach((x, i) => checkIdentifier(x, `body.identifiers.${i}`));
  return transact(db, async (trx) => {
    const row = await repo.insertCustomer(trx, {
      kind: input.kind,
      first_name: input.kind === 'person' ? (input.firstName?.trim() ?? null) : null,
      last_name: input.kind === 'person' ? (input.lastName?.trim() ?? null) : null,
      business_name: input.kind === 'business' ? (input.businessName?.trim() ?? null) : null,
      display_name: displayName,
      date_of_birth: input.dateOfBirth ?? null,
      preferred_language: input.preferredLanguage ?? 'en',
    });
    for (const c of input.contacts ?? []) await insertContact(trx, row.id, c);
    for (const x of input.identifiers ?? []) await repo.insertIdentifier(trx, { customer_id: row.id, kind: x.kind, value: x.value.trim() });
    const detail = await customerDetail(trx, row.id);
    await recordChange(trx, actor, {
      action: 'create',
      entityType: 'customer',
      entityId: row.id,
      after: { ...auditOf(detail), contacts: detail.contacts.map((c) => c.value), identifiers: detail.identifiers.map((x) => x.kind) },
      reason,
    });
    return detail;
  });
}

async function customerDetail(db: Db, id: number): Promise<CustomerDetail> {
  const row = await repo.findCustomer(db, id);
  if (!row) throw notFound('Customer', id);
  const [contacts, identifiers, accounts] = await Promise.all([repo.contactsOf(db, id), repo.identifiersOf(db, id), repo.accountsOfCustomer(db, id)]);
  return {
    ...toCustomer(row),
    contacts: contacts.map(toContact),
    identifiers: identifiers.map(toIdentifier),
    accounts: accounts.map(toAccount),
  };
}

export const getCustomer = (db: Db, id: number) => customerDetail(db, id);

export async function listCustomers(db: Db, q: { after: number; limit: number; name?: string }): Promise<Customer[]> {
  return (await repo.listCustomers(db, q)).map(toCustomer);
}

/** Accounts touched by a change to a customer, so the change shows in each account's history. */
async function auditForAccounts(db: Db, actor: Actor, customerId: number, change: Parameters<typeof recordChange>[2]) {
  const accounts = await repo.accountsOfCustomer(db, customerId);
  if (accounts.length === 0) return recordChange(db, actor, change);
  for (const a of accounts) await recordChange(db, actor, { ...change, accountId: a.id });
}

export async function updateCustomer(db: Db, actor: Actor, id: number, patch: Partial<CustomerInput>, reason: string): Promise<CustomerDetail> {
  return transact(db, async (trx) => {
    const beforeRow = await repo.findCustomerForUpdate(trx, id);
    if (!beforeRow) throw notFound('Customer', id);
    const before = toCustomer(beforeRow);
    if (patch.kind && patch.kind !== before.kind) throw invalid('body.kind', 'cannot change; make a new customer instead');
    const merged = { ...before, ...patch };
    const displayName = displayNameOf(merged);
    const updated = await repo.updateCustomer(trx, id, {
      first_name: patch.firstName === undefined ? undefined : (patch.firstName?.trim() ?? null),
      last_name: patch.lastName === undefined ? undefined : (patch.lastName?.trim() ?? null),
      business_name: patch.businessName === undefined ? undefined : (patch.businessName?.trim() ?? null),
      date_of_birth: patch.dateOfBirth,
      preferred_language: patch.preferredLanguage,
      display_name: displayName,
    });
    await auditForAccounts(trx, actor, id, { action: 'update', entityType: 'customer', entityId: id, before: auditOf(before), after: auditOf(toCustomer(updated)), reason });
    const after = await customerDetail(trx, id);
    return after;
  });
}

export async function addContact(db: Db, actor: Actor, customerId: number, c: NewContact, reason = 'New contact'): Promise<Contact> {
  checkContact(c, 'body');
  return transact(db, async (trx) => {
    if (!(await repo.findCustomerForUpdate(trx, customerId))) throw notFound('Customer', customerId);
    const contact = toContact(await insertContact(trx, customerId, c));
    await auditForAccounts(trx, actor, customerId, { action: 'create', entityType: 'customer_contact', entityId: contact.id, after: { customerId, ...contact }, reason });
    return contact;
  });
}

export async function removeContact(db: Db, actor: Actor, clock: Clock, customerId: number, contactId: number, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await repo.findContact(trx, customerId, contactId);
    if (!row) throw notFound('Contact', contactId);
    await repo.removeContact(trx, contactId, clock.now());
    await auditForAccounts(trx, actor, customerId, { action: 'remove', entityType: 'customer_contact', entityId: contactId, before: { customerId, ...toContact(row) }, after: null, reason });
  });
}

export async function addIdentifier(db: Db, actor: Actor, customerId: number, x: NewIdentifier, reason = 'New identifier'): Promise<Identifier> {
  checkIdentifier(x, 'body');
  return transact(db, async (trx) => {
    if (!(await repo.findCustomerForUpdate(trx, customerId))) throw notFound('Customer', customerId);
    const identifier = toIdentifier(await repo.insertIdentifier(trx, { customer_id: customerId, kind: x.kind, value: x.value.trim() }));
    await auditForAccounts(trx, actor, customerId, { action: 'create', entityType: 'customer_identifier', entityId: identifier.id, after: { customerId, kind: identifier.kind }, reason });
    return identifier;
  });
}

export async function removeIdentifier(db: Db, actor: Actor, clock: Clock, customerId: number, identifierId: number, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await repo.findIdentifier(trx, customerId, identifierId);
    if (!row) throw notFound('Identifier', identifierId);
    await repo.removeIdentifier(trx, identifierId, clock.now());
    await auditForAccounts(trx, actor, customerId, { action: 'remove', entityType: 'customer_identifier', entityId: identifierId, before: { customerId, kind: row.kind }, after: null, reason });
  });
}

// ---- accounts ----

export type AddressInput = Omit<Address, 'line2'> & { line2?: string | null };

export interface AccountInput {
  customerId: number;
  customerClass: string;
  billingCycle: number;
  billingAddress: AddressInput;
  status?: Account['status'];
  openedOn?: string;
}

export async function createAccount(db: Db, actor: Actor, clock: Clock, input: AccountInput, reason = 'New account'): Promise<Account> {
  return transact(db, async (trx) => {
    if (!(await repo.findCustomer(trx, input.customerId))) throw new AppError('validation', `body.customerId: customer ${input.customerId} was not found`, { field: 'body.customerId' });
    const row = await repo.insertAccount(trx, {
      account_number: accountNumberFor(await repo.nextAccountSequence(trx)),
      customer_id: input.customerId,
      status: input.status ?? 'active',
      customer_class: input.customerClass,
      billing_cycle: input.billingCycle,
      ...addressColumns(input.billingAddress),
      opened_on: input.openedOn ?? clock.today(),
    });
    const account = toAccount(row);
    await recordChange(trx, actor, { action: 'create', entityType: 'account', entityId: account.id, accountId: account.id, after: auditOf(account), reason });
    return account;
  });
}

const addressColumns = (a: AddressInput) => ({
  billing_line1: a.line1.trim(),
  billing_line2: a.line2?.trim() || null,
  billing_city: a.city.trim(),
  billing_state: a.state.trim().toUpperCase(),
  billing_postal_code: a.postalCode.trim(),
});

export interface AccountPatch {
  status?: Account['status'];
  customerClass?: string;
  billingCycle?: number;
  billingAddress?: AddressInput;
  closedOn?: string | null;
}

export async function updateAccount(db: Db, actor: Actor, id: number, patch: AccountPatch, reason: string): Promise<Account> {
  return transact(db, async (trx) => {
    const beforeRow = await repo.findAccountForUpdate(trx, id);
    if (!beforeRow) throw notFound('Account', id);
    const row = await repo.updateAccount(trx, id, {
      status: patch.status,
      customer_class: patch.customerClass,
      billing_cycle: patch.billingCycle,
      closed_on: patch.closedOn,
      ...(patch.billingAddress ? addressColumns(patch.billingAddress) : {}),
    });
    const after = toAccount(row);
    await recordChange(trx, actor, { action: 'update', entityType: 'account', entityId: id, accountId: id, before: auditOf(toAccount(beforeRow)), after: auditOf(after), reason });
    return after;
  });
}

export async function getAccount(db: Db, id: number): Promise<Account> {
  const row = await repo.findAccount(db, id);
  if (!row) throw notFound('Account', id);
  return toAccount(row);
}

export async function findAccountByNumber(db: Db, accountNumber: string): Promise<Account | null> {
  const row = await repo.findAccountByNumber(db, accountNumber);
  return row ? toAccount(row) : null;
}

export async function listAccounts(db: Db, q: Parameters<typeof repo.listAccounts>[1]): Promise<(Account & { customerName: string })[]> {
  return (await repo.listAccounts(db, q)).map((r) => ({ ...toAccount(r), customerName: r.customer_name }));
}

// ---- alerts ----

export const alertKinds = ['medical_certificate', 'bankruptcy', 'deceased', 'cash_only', 'pledge_pending', 'budget_billing', 'payment_arrangement', 'life_support', 'safety', 'other'] as const;

export async function listAlerts(db: Db, clock: Clock, accountId: number): Promise<Alert[]> {
  await getAccount(db, accountId);
  const today = clock.today();
  return (await repo.alertsOf(db, accountId)).map((r) => toAlert(r, today));
}

/** The alerts of some kinds in force on a day, per account (for jobs that look at many accounts). */
export async function alertsInForce(db: Db, accountIds: number[], kinds: string[], date: string): Promise<Map<number, Alert[]>> {
  const out = new Map<number, Alert[]>();
  if (accountIds.length === 0 || kinds.length === 0) return out;
  for (const r of await repo.alertsInForce(db, accountIds, kinds, date)) {
    const a = toAlert(r, date);
    const list = out.get(a.accountId);
    if (list) list.push(a);
    else out.set(a.accountId, [a]);
  }
  return out;
}

export async function addAlert(
  db: Db,
  actor: Actor,
  clock: Clock,
  accountId: number,
  input: { kind: string; note?: string; startsOn?: string; endsOn?: string | null },
  reason = 'Alert added',
): Promise<Alert> {
  const startsOn = input.startsOn ?? clock.today();
  if (input.endsOn && input.endsOn < startsOn) throw invalid('body.endsOn', `is before startsOn ${startsOn}`);
  return transact(db, async (trx) => {
    if (!(await repo.findAccountForUpdate(trx, accountId))) throw notFound('Account', accountId);
    const row = await repo.insertAlert(trx, { account_id: accountId, kind: input.kind, note: input.note ?? null, starts_on: startsOn, ends_on: input.endsOn ?? null, created_by: actor.userId });
    const alert = toAlert(row, clock.today());
    await recordChange(trx, actor, { action: 'create', entityType: 'account_alert', entityId: alert.id, accountId, after: { kind: alert.kind, note: alert.note, startsOn: alert.startsOn, endsOn: alert.endsOn }, reason });
    return alert;
  });
}

export async function clearAlert(db: Db, actor: Actor, clock: Clock, accountId: number, alertId: number, reason: string): Promise<Alert> {
  return transact(db, async (trx) => {
    const before = await repo.findAlert(trx, accountId, alertId);
    if (!before) throw notFound('Alert', alertId);
    if (before.cleared_at) throw new AppError('conflict', `Alert ${alertId} was already cleared on ${before.cleared_at.toISOString()}`);
    const row = await repo.clearAlert(trx, alertId, { cleared_at: clock.now(), cleared_by: actor.userId, clear_reason: reason });
    await recordChange(trx, actor, { action: 'clear', entityType: 'account_alert', entityId: alertId, accountId, before: { kind: before.kind, cleared: false }, after: { kind: before.kind, cleared: true }, reason });
    return toAlert(row, clock.today());
  });
}
