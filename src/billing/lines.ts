/**
 * How a bill's rated lines are stored: a JSON array of arrays in a fixed order, not of objects,
 * so a million bills do not each repeat eleven key names (it halves what the billing run writes).
 * The order is part of the stored format: add fields only at the end.
 *
 * A line's tariff version, first and last day are stored as "" when they are those of the line
 * before it (most lines of a bill share one period and version; bills written before this rule
 * carry them in full, and read the same).
 */
import type { BillLine } from '../tariff/index.ts';

export type StoredLine = [
  code: string, description: string, kind: BillLine['kind'], quantity: string, unit: string, unitPrice: string,
  amountCents: number, tariffVersion: string, from: string, to: string, derivation: string,
];

/** Positions used by SQL over the stored lines (the billing register). */
export const LINE_FIELD = { code: 0, kind: 2, quantity: 3, unit: 4, amountCents: 6 } as const;

export function packLines(lines: BillLine[]): StoredLine[] {
  const out: StoredLine[] = [];
  let prev: BillLine | null = null;
  for (const l of lines) {
    const same = prev !== null && prev.tariffVersion === l.tariffVersion && prev.from === l.from && prev.to === l.to;
    out.push([l.code, l.description, l.kind, l.quantity, l.unit, l.unitPrice, l.amountCents, same ? '' : l.tariffVersion, same ? '' : l.from, same ? '' : l.to, l.derivation]);
    prev = l;
  }
  return out;
}

export function unpackLines(stored: unknown): BillLine[] {
  const out: BillLine[] = [];
  let prev: BillLine | null = null;
  for (const [code, description, kind, quantity, unit, unitPrice, amountCents, tariffVersion, from, to, derivation] of stored as StoredLine[]) {
    const same = prev !== null && tariffVersion === '' && from === '' && to === '';
    const line: BillLine = {
      code, description, kind, quantity, unit, unitPrice, amountCents,
      tariffVersion: same ? prev!.tariffVersion : tariffVersion, from: same ? prev!.from : from, to: same ? prev!.to : to, derivation,
    };
    out.push(line);
    prev = line;
  }
  return out;
}
