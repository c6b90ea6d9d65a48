/**
 * ABA routing transit numbers: eight digits and a check digit. The nine digits weighted 3, 7, 1,
 * 3, 7, 1, 3, 7, 1 must sum to a multiple of ten, which catches every single-digit error.
 */

const WEIGHTS = [3, 7, 1, 3, 7, 1, 3, 7, 1] as const;

function weightedSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * (WEIGHTS[i] ?? 0);
  return sum;
}

/** The ninth digit for the eight-digit Federal Reserve routing symbol and institution id. */
export function routingCheckDigit(first8: string): number {
  if (!/^\d{8}$/.test(first8)) throw new Error(`Routing number prefix '${first8}' is not eight digits`);
  return (10 - (weightedSum(first8) % 10)) % 10;
}

export function isValidRoutingNumber(s: string): boolean {
  return /^\d{9}$/.test(s) && weightedSum(s) % 10 === 0;
}
