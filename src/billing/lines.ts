/**
 * How a bill's rated lines are stored: a JSON array of arrays in a fixed order, not of objects,
 * so a million bills do not each repeat eleven key names (it halves what the billing run writes).
 * The order is part of the stored format: add fields only at the end.
 */
import type { BillLine } from '../tariff/index.ts';

export type StoredLine = [
  code: string, description: string, kind: BillLine['kind'], quantity: string, unit: string, unitPrice: string,
  amountCents: number, tariffVersion: string, from: string, to: string, derivation: string,
];

/** Positions used by SQL over the stored lines (the billing register). */
export const LINE_FIELD = { code: 0, kind: 2, quantity: 3, unit: 4, amountCents: 6 } as const;

export const packLines = (lines: BillLine[]): StoredLine[] =>
  lines.map((l) => [l.code, l.description, l.kind, l.quantity, l.unit, l.unitPrice, l.amountCents, l.tariffVersion, l.from, l.to, l.derivation]);

export const unpackLines = (stored: unknown): BillLine[] =>
  (stored as StoredLine[]).map(([code, description, kind, quantity, unit, unitPrice, amountCents, tariffVersion, from, to, derivation]) => ({
    code, description, kind, quantity, unit, unitPrice, amountCents, tariffVersion, from, to, derivation,
  }));
