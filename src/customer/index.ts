/** Customers, contacts, identifiers, accounts (with check-digit numbers) and account alerts (C1). */
export { registerCustomerRoutes } from './routes.ts';
export * as customers from './service.ts';
export type { Account, Address, Alert, Contact, Customer, CustomerDetail, Identifier } from './service.ts';
export { accountNumberFor, isValidAccountNumber, luhnCheckDigit } from './account-number.ts';
export { AccountSchema, AlertSchema, CustomerSchema, CustomerDetailSchema, ContactSchema } from './schemas.ts';
export type { CustomerTables } from './repository.ts';
