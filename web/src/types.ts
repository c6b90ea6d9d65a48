/**
 * Shapes of the API's responses. They are the server's own types, imported type-only from each
 * context's public face (src/<context>/index.ts), so a change there is a type error here; nothing
 * of the server is bundled (`export type` is erased). See /api/docs for the full schemas.
 *
 * The few values (option lists for selects) are kept here, because the server keeps its lists in
 * modules that also hold server code; each is checked against the server's type where the server's
 * type is narrower than `string`.
 */
import type { Account } from '../../src/customer/index.ts';
import type { Meter, ServicePoint } from '../../src/premise/index.ts';

export type { Account, Address, Alert, Contact, Customer, CustomerDetail, Identifier } from '../../src/customer/index.ts';
export type { AccountService, Agreement, Installation, Meter, Premise, PremiseDetail, ServicePoint } from '../../src/premise/index.ts';
export type { AuditEvent } from '../../src/audit/index.ts';
export type { AccountOverview } from '../../src/account-view/index.ts';
export type { AccountSearchResult as SearchResult } from '../../src/search/index.ts';
export type { StaffUser as User } from '../../src/staff/index.ts';
// actor.ts has no imports: bundling it adds the role list and nothing of the server.
export { roles, type Role } from '../../src/platform/actor.ts';

/** Compiles only when the list's members are exactly the server's union (checks, no code). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;

/** A cursor-paged list answer. The server builds it as a TypeBox schema (`Page(item)`), not a type. */
export interface Page<T> {
  items: T[];
  next: number | null;
}

export const accountStatuses = ['pending', 'active', 'final', 'closed'] as const;
export type AccountStatus = Account['status'];
type _AccountStatusesMatch = Check<Same<(typeof accountStatuses)[number], AccountStatus>>;

/** The server types `customerClass` as string; the list is its route schema's enum. */
export const customerClasses = ['residential', 'commercial', 'industrial', 'irrigation', 'public_authority'] as const;

/** The server types an alert's `kind` as string; the list is `alertKinds` of src/customer/service.ts. */
export const alertKinds = [
  'medical_certificate', 'bankruptcy', 'deceased', 'cash_only', 'pledge_pending',
  'budget_billing', 'payment_arrangement', 'life_support', 'safety', 'other',
] as const;

/** The server types `premiseType` as string; the list is its route schema's enum. */
export const premiseTypes = ['single_family', 'multi_family', 'mobile_home', 'commercial', 'industrial', 'irrigation', 'public'] as const;

export const services = ['electric', 'water', 'fiber'] as const;
type _ServicesMatch = Check<Same<(typeof services)[number], ServicePoint['service']>>;

export const servicePointStatuses = ['active', 'inactive', 'disconnected'] as const;
type _PointStatusesMatch = Check<Same<(typeof servicePointStatuses)[number], ServicePoint['status']>>;

export const meterKinds = ['electric', 'water'] as const;
type _MeterKindsMatch = Check<Same<(typeof meterKinds)[number], Meter['kind']>>;

export const meterStatuses = ['in_stock', 'installed', 'removed', 'testing', 'retired'] as const;
type _MeterStatusesMatch = Check<Same<(typeof meterStatuses)[number], Meter['status']>>;

/** The statuses PATCH /meters/:id may set by hand (install and remove set the others). */
export const settableMeterStatuses = ['in_stock', 'testing', 'retired'] as const satisfies readonly Meter['status'][];
