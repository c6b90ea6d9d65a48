/**
 * The billing register of a run, tallied as bills post: lines, units and cents by service,
 * customer class, line kind, code and unit. Exact (quantities in Dec, cents as integers). A run
 * resumed after a stop has part of its bills from before, so it is tallied in SQL instead
 * (repository.registerOfRun); a test holds the two to the same answer.
 */
import { Dec } from '../platform/decimal.ts';
import type { BillLine } from '../tariff/index.ts';

export interface RegisterRow {
  service: string;
  customerClass: string;
  kind: string;
  code: string;
  unit: string;
  lines: number;
  quantity: string;
  amountCents: number;
}

const order = (a: RegisterRow, b: RegisterRow) =>
  a.service.localeCompare(b.service) || a.customerClass.localeCompare(b.customerClass) || a.kind.localeCompare(b.kind) || a.code.localeCompare(b.code) || a.unit.localeCompare(b.unit);

export class RegisterTally {
  readonly #rows = new Map<string, { row: Omit<RegisterRow, 'quantity'>; quantity: Dec }>();

  add(bill: { service: string; customerClass: string; lines: BillLine[] }): void {
    for (const l of bill.lines) {
      const key = `${bill.service}\u0000${bill.customerClass}\u0000${l.kind}\u0000${l.code}\u0000${l.unit}`;
      let entry = this.#rows.get(key);
      if (!entry) {
        entry = { row: { service: bill.service, customerClass: bill.customerClass, kind: l.kind, code: l.code, unit: l.unit, lines: 0, amountCents: 0 }, quantity: Dec.zero };
        this.#rows.set(key, entry);
      }
      entry.row.lines++;
      entry.row.amountCents += l.amountCents;
      entry.quantity = entry.quantity.plus(l.quantity);
    }
  }

  rows(): RegisterRow[] {
    return [...this.#rows.values()].map((e) => ({ ...e.row, quantity: e.quantity.toString() })).sort(order);
  }
}

export const sortRegister = (rows: RegisterRow[]) => [...rows].sort(order);
