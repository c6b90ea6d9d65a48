/** Shapes of the API's responses, as the web app uses them (see /api/docs for the full schemas). */

export const roles = ['csr1', 'csr2', 'supervisor', 'admin', 'auditor'] as const;
export type Role = (typeof roles)[number];

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  next: number | null;
}

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

export const accountStatuses = ['pending', 'active', 'final', 'closed'] as const;
export type AccountStatus = (typeof accountStatuses)[number];
export const customerClasses = ['residential', 'commercial', 'industrial', 'irrigation', 'public_authority'] as const;

export interface Account {
  id: number;
  accountNumber: string;
  customerId: number;
  status: AccountStatus;
  customerClass: string;
  billingCycle: number;
  billingAddress: Address;
  openedOn: string;
  closedOn: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerDetail extends Customer {
  contacts: Contact[];
  identifiers: Identifier[];
  accounts: Account[];
}

export const alertKinds = [
  'medical_certificate', 'bankruptcy', 'deceased', 'cash_only', 'pledge_pending',
  'budget_billing', 'payment_arrangement', 'life_support', 'safety', 'other',
] as const;

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

export interface Premise {
  id: number;
  address: Address;
  premiseType: string;
  area: string;
  spaceHeating: boolean;
  ownerCustomerId: number | null;
}

export interface ServicePoint {
  id: number;
  premiseId: number;
  service: 'electric' | 'water' | 'fiber';
  status: 'active' | 'inactive' | 'disconnected';
  route: string | null;
  locationNote: string | null;
}

export interface Meter {
  id: number;
  serial: string;
  kind: string;
  manufacturer: string | null;
  model: string | null;
  multiplier: string;
  dials: number;
  size: string | null;
  status: string;
}

export interface Installation {
  id: number;
  meterId: number;
  servicePointId: number;
  installedOn: string;
  removedOn: string | null;
}

export interface Agreement {
  id: number;
  accountId: number;
  servicePointId: number;
  rateCode: string;
  startDate: string;
  endDate: string | null;
}

export interface PremiseDetail extends Premise {
  servicePoints: (ServicePoint & { meter: Meter | null; agreements: Agreement[] })[];
}

export interface AccountService {
  agreement: Agreement;
  servicePoint: ServicePoint;
  premise: Pick<Premise, 'id' | 'address' | 'premiseType' | 'area'>;
  meter: (Pick<Meter, 'id' | 'serial' | 'kind' | 'multiplier' | 'dials' | 'size' | 'status'> & { installedOn: string | null }) | null;
}

export interface AuditEvent {
  id: number;
  occurredAt: string;
  userId: number | null;
  username: string;
  action: string;
  entityType: string;
  entityId: string;
  accountId: number | null;
  before: unknown;
  after: unknown;
  reason: string;
}

export interface AccountOverview {
  account: Account;
  customer: CustomerDetail;
  services: AccountService[];
  alerts: Alert[];
  balance: { amountCents: number; asOf: string } | null;
  recentActivity: AuditEvent[];
}

export interface SearchResult {
  accountId: number;
  accountNumber: string;
  status: string;
  customerClass: string;
  name: string;
  billingAddress: string;
  matchedOn: string;
  matched: string;
}
