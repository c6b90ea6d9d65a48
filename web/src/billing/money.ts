/**
 * Money typed by staff and prices printed from tariffs, without floating point: dollars are
 * parsed as text into integer cents, and tariff prices (exact decimal strings) are only decorated.
 */

/**
 * Dollars as typed (`12`, `12.5`, `$1,234.56`) to integer cents, or null when the text is not an
 * amount of dollars and cents. No sign: the caller says whether it is a charge or a credit.
 */
export function parseDollars(text: string): number | null {
  const match = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{0,2}))?$/.exec(text.trim());
  if (!match || (match[1] === undefined && !match[2])) return null;
  const whole = (match[1] ?? '0').replace(/,/g, '');
  // Beyond 13 digits of dollars integer cents would leave the safe integer range.
  if (whole.replace(/^0+/, '').length > 13) return null;
  const cents = (match[2] ?? '').padEnd(2, '0');
  return Number(whole) * 100 + Number(cents);
}

/** A tariff price (decimal string, any number of places) as money: `0.0812` -> `$0.0812`, `-1.5` -> `-$1.50`. */
export function formatPrice(price: string): string {
  const negative = price.startsWith('-');
  const [whole = '0', frac = ''] = (negative ? price.slice(1) : price).split('.');
  const grouped = whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${grouped}.${frac.padEnd(2, '0')}`;
}

/** A unit for a quantity: `1 day`, `30 days`, `2 months`; other units as they are (kWh, kW, gal). */
export function unitFor(unit: string, quantity: string): string {
  if (quantity === '1') return unit;
  return unit === 'day' ? 'days' : unit === 'month' ? 'months' : unit === 'bill' ? 'bills' : unit;
}

/** A decimal quantity for reading: thousands grouped, the decimals as given (`426.666666`, `1,000`). */
export function formatQuantity(quantity: string): string {
  const negative = quantity.startsWith('-');
  const [whole = '0', frac] = (negative ? quantity.slice(1) : quantity).split('.');
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
}
