/**
 * Account numbers are eight digits from a sequence and a Luhn check digit (nine in all). The check
 * digit catches every single-digit error and most swapped neighbours, which is what bad account
 * numbers on bank remittances mostly are.
 */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function accountNumberFor(sequence: number | bigint): string {
  const base = String(sequence);
  if (!/^\d{8}$/.test(base)) throw new Error(`Account sequence ${base} is not eight digits`);
  return base + luhnCheckDigit(base);
}

export function isValidAccountNumber(value: string): boolean {
  return /^\d{9}$/.test(value) && luhnCheckDigit(value.slice(0, 8)) === Number(value[8]);
}
