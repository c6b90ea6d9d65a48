/** Money for people to read. Amounts are integer cents everywhere; this only formats them. */

/** Integer cents as dollars, without floating point: -12345 -> "-$123.45", 123456789 -> "$1,234,567.89". */
/** Integer cents as a plain decimal, as files carry amounts: -12345 -> "-123.45", 5 -> "0.05". */
export function centsToDecimal(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A plain decimal of dollars ("125.5", "12", "0.05") as integer cents, exactly; null when it is not one. */
export function decimalToCents(text: string): number | null {
  const m = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' && cents !== 0 ? -cents : cents;
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.trunc(abs / 100);
  const rest = String(abs % 100).padStart(2, '0');
  return `${sign}$${dollars.toLocaleString('en-US')}.${rest}`;
}
