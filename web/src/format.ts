import type { Address } from './types.ts';

/**
 * Display rules. Dates (service periods, due dates) are shown as the API gives them, YYYY-MM-DD.
 * Timestamps are shown in the utility's time zone, whatever the browser's zone is.
 */
let utilityTimeZone = 'America/Los_Angeles';
let timestampFormat = makeTimestampFormat(utilityTimeZone);

function makeTimestampFormat(timeZone: string) {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
}

/** The server says which zone the utility is in (at sign-in and on /auth/me). */
export function setUtilityTimeZone(timeZone: string): void {
  if (timeZone === utilityTimeZone) return;
  utilityTimeZone = timeZone;
  timestampFormat = makeTimestampFormat(timeZone);
}

/** `2026-11-26 09:00 PST` */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(timestampFormat.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

export { formatCents } from '../../src/platform/money.ts';

/** `medical_certificate` -> `Medical certificate` */
export function humanize(code: string): string {
  const text = code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `billingCycle` -> `Billing cycle`, `postal_code` -> `Postal code` */
export function humanizeKey(key: string): string {
  return humanize(key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase());
}

export function addressLine(a: Address): string {
  return [a.line1, a.line2, `${a.city}, ${a.state} ${a.postalCode}`].filter(Boolean).join(', ');
}


/** Today's date (YYYY-MM-DD) in the utility's time zone: the default date of service actions. */
export function utilityToday(now = new Date()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: utilityTimeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}
