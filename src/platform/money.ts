/** Money for people to read. Amounts are integer cents everywhere; this only formats them. */

/** Integer cents as dollars, without floating point: -12345 -> "-$123.45", 123456789 -> "$1,234,567.89". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.trunc(abs / 100);
  const rest = String(abs % 100).padStart(2, '0');
  return `${sign}$${dollars.toLocaleString('en-US')}.${rest}`;
}
