import { Type } from 'typebox';
import { DateString, Nullable } from '../platform/http/schemas.ts';
import { alertKinds } from './service.ts';

const lit = Type.Enum;

export const AccountStatus = lit(['pending', 'active', 'final', 'closed'] as const);
export const CustomerClass = lit(['residential', 'commercial', 'industrial', 'irrigation', 'public_authority'] as const);
export const ContactKind = lit(['phone', 'mobile', 'email'] as const);
export const IdentifierKind = lit(['ssn_last4', 'drivers_license', 'state_id', 'passport', 'ein', 'ubi', 'other'] as const);
export const AlertKind = lit(alertKinds);

export const AddressSchema = Type.Object({
  line1: Type.String({ minLength: 1, maxLength: 100 }),
  line2: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  city: Type.String({ minLength: 1, maxLength: 60 }),
  state: Type.String({ pattern: '^[A-Za-z]{2}$' }),
  postalCode: Type.String({ pattern: '^[0-9]{5}(-[0-9]{4})?$' }),
}, { additionalProperties: false });

export const ContactSchema = Type.Object({ id: Type.Integer(), kind: ContactKind, value: Type.String(), label: Nullable(Type.String()), isPrimary: Type.Boolean() });
export const NewContactSchema = Type.Object({
  kind: ContactKind,
  value: Type.String({ minLength: 3, maxLength: 120 }),
  label: Type.Optional(Type.String({ maxLength: 40 })),
  isPrimary: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export const IdentifierSchema = Type.Object({ id: Type.Integer(), kind: Type.String(), value: Type.String() });
export const NewIdentifierSchema = Type.Object({ kind: IdentifierKind, value: Type.String({ minLength: 1, maxLength: 60 }) }, { additionalProperties: false });

export const CustomerSchema = Type.Object({
  id: Type.Integer(),
  kind: lit(['person', 'business'] as const),
  firstName: Nullable(Type.String()),
  lastName: Nullable(Type.String()),
  businessName: Nullable(Type.String()),
  displayName: Type.String(),
  dateOfBirth: Nullable(Type.String()),
  preferredLanguage: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const AccountSchema = Type.Object({
  id: Type.Integer(),
  accountNumber: Type.String(),
  customerId: Type.Integer(),
  status: AccountStatus,
  customerClass: Type.String(),
  billingCycle: Type.Integer(),
  billingAddress: Type.Object({ line1: Type.String(), line2: Nullable(Type.String()), city: Type.String(), state: Type.String(), postalCode: Type.String() }),
  openedOn: Type.String(),
  closedOn: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const CustomerDetailSchema = Type.Object({
  ...CustomerSchema.properties,
  contacts: Type.Array(ContactSchema),
  identifiers: Type.Array(IdentifierSchema),
  accounts: Type.Array(AccountSchema),
});

export const CustomerFields = {
  firstName: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
  lastName: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
  businessName: Type.Optional(Nullable(Type.String({ maxLength: 120 }))),
  dateOfBirth: Type.Optional(Nullable(DateString)),
  preferredLanguage: Type.Optional(Type.String({ pattern: '^[a-z]{2}$' })),
};

export const AlertSchema = Type.Object({
  id: Type.Integer(),
  accountId: Type.Integer(),
  kind: Type.String(),
  note: Nullable(Type.String()),
  startsOn: Type.String(),
  endsOn: Nullable(Type.String()),
  active: Type.Boolean(),
  createdAt: Type.String(),
  clearedAt: Nullable(Type.String()),
  clearReason: Nullable(Type.String()),
});
