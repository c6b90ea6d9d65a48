/**
 * Arithmetic on dates of service (`YYYY-MM-DD`): calendar days, no time of day and no time zone,
 * as the server's src/platform/dates.ts does it.
 */

const toUtc = (date: string): number => {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!);
};
const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * 86_400_000);
}

/** Days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / 86_400_000);
}

/** The same day `months` months earlier (the month's last day when it has fewer days). */
export function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const index = y! * 12 + (m! - 1) - months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(year, month, Math.min(d!, last)));
}

/** The months' names, January first. */
export const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
/** A month's name from its number (1-12); anything else as given. */
export const monthName = (month: number): string => monthNames[month - 1] ?? String(month);

/** `2026-03-31` -> `Mar 26` (chart axis labels). */
export function shortMonth(date: string): string {
  const [y, m] = date.split('-');
  return `${monthNames[Number(m) - 1]?.slice(0, 3) ?? m} ${y?.slice(2)}`;
}
