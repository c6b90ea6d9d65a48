import type { Access } from './session.tsx';

/**
 * The left navigation. Later features add an entry here (and a route in routes.tsx); `access`
 * hides an entry from roles that could not use it anyway.
 */
export interface NavItem {
  label: string;
  to: string;
  access: Access;
  /** Other path prefixes that light this entry up (e.g. an account page under "Accounts"). */
  matches?: string[];
  /** A link out of the app (opens the page itself, not a client-side route). */
  external?: boolean;
  group?: 'main' | 'field' | 'billing' | 'payments' | 'admin' | 'help';
}

export const navItems: NavItem[] = [
  { label: 'Search / Accounts', to: '/accounts', access: 'read', matches: ['/accounts'] },
  { label: 'Customers', to: '/customers', access: 'read', matches: ['/customers'] },
  { label: 'Premises', to: '/premises', access: 'read', matches: ['/premises'] },
  { label: 'Meters', to: '/meters', access: 'read', matches: ['/meters'] },
  { label: 'Service orders', to: '/service-orders', access: 'read', matches: ['/service-orders'], group: 'field' },
  { label: 'Field work list', to: '/work-list', access: 'read', group: 'field' },
  { label: 'Read exceptions', to: '/read-exceptions', access: 'read', group: 'field' },
  { label: 'Read import', to: '/read-imports', access: 'csr2', group: 'field' },
  { label: 'Billing runs', to: '/billing/runs', access: 'read', matches: ['/billing/runs'], group: 'billing' },
  { label: 'Billing exceptions', to: '/billing/exceptions', access: 'read', group: 'billing' },
  { label: 'Billing schedule', to: '/billing/schedule', access: 'read', group: 'billing' },
  { label: 'Delinquency schedule', to: '/collections/schedule', access: 'read', group: 'billing' },
  // The queue lives at /collections too; its link is /collections/queue so that it alone lights up on its page.
  { label: 'Collections queue', to: '/collections/queue', access: 'read', matches: ['/collections/queue'], group: 'billing' },
  { label: 'Collections runs', to: '/collections/runs', access: 'read', group: 'billing' },
  { label: 'Collections settings', to: '/collections/settings', access: 'read', group: 'billing' },
  { label: 'Rates', to: '/tariffs', access: 'read', matches: ['/tariffs'], group: 'billing' },
  { label: 'Quote', to: '/quote', access: 'read', group: 'billing' },
  { label: 'Budget plans', to: '/budget/plans', access: 'read', matches: ['/budget'], group: 'billing' },
  // Singular: "Deposits" (the bank deposits under Payments) must stay the only link its name matches.
  { label: 'Security deposit', to: '/security-deposits', access: 'read', matches: ['/security-deposits'], group: 'billing' },
  { label: 'Refunds', to: '/refunds', access: 'read', matches: ['/refunds'], group: 'billing' },
  { label: 'Arrangements', to: '/arrangements', access: 'read', matches: ['/arrangements'], group: 'billing' },
  { label: 'Heat alerts', to: '/heat-alerts', access: 'read', matches: ['/heat-alerts'], group: 'billing' },
  { label: 'Bankruptcy cases', to: '/bankruptcy', access: 'read', matches: ['/bankruptcy'], group: 'billing' },
  { label: 'Deceased accounts', to: '/deceased', access: 'read', matches: ['/deceased'], group: 'billing' },
  { label: 'Agency placements', to: '/bad-debt/placements', access: 'read', group: 'billing' },
  { label: 'Write-offs', to: '/bad-debt/write-offs', access: 'read', group: 'billing' },
  { label: 'Take a payment', to: '/payments/new', access: 'csr1', group: 'payments' },
  { label: 'Batches', to: '/payments/batches', access: 'read', matches: ['/payments/batches'], group: 'payments' },
  { label: 'Suspense queue', to: '/payments/suspense', access: 'read', group: 'payments' },
  { label: 'Import a file', to: '/payments/import', access: 'csr2', group: 'payments' },
  { label: 'Deposits', to: '/payments/deposits', access: 'read', group: 'payments' },
  { label: 'Returns', to: '/payments/returns', access: 'read', group: 'payments' },
  { label: 'Payment reports', to: '/payments/reports/deposit-summary', access: 'read', matches: ['/payments/reports'], group: 'payments' },
  { label: 'Energy assistance', to: '/assistance', access: 'read', matches: ['/assistance'], group: 'payments' },
  { label: 'Staff users', to: '/users', access: 'admin', matches: ['/users'], group: 'admin' },
  { label: 'Audit trail', to: '/audit', access: 'audit', matches: ['/audit'], group: 'admin' },
  { label: 'API docs', to: '/api/docs', access: 'read', external: true, group: 'help' },
];

export function isCurrent(item: NavItem, path: string): boolean {
  if (path === '/' && item.to === '/accounts') return true;
  return (item.matches ?? [item.to]).some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}
