/**
 * How a payment is applied to what an account owes (pure): the oldest unpaid charges first, with
 * services on the same day in the district's order, or in proportion to what each service owes.
 * What is left over is a credit with no service. The shares always add up to the payment.
 */
export type Service = 'electric' | 'water' | 'fiber';

export interface Owed {
  service: Service | null;
  balanceCents: number;
  /** The unpaid part of the newest charges that make up the balance, oldest first. */
  charges: { date: string; unpaidCents: number }[];
}

export interface ApplicationSettings {
  mode: 'oldest_first' | 'proportional';
  serviceOrder: Service[];
}

export interface Share {
  /** Null: an overpayment, a credit on the account. */
  service: Service | null;
  amountCents: number;
}

interface Piece { service: Service; date: string; cents: number }

/** Unpaid pieces per service; a balance not explained by its charges counts as the oldest debt. */
function piecesOf(owed: Owed[]): Piece[] {
  const pieces: Piece[] = [];
  for (const o of owed) {
    if (o.service === null || o.balanceCents <= 0) continue;
    let left = o.balanceCents;
    const own: Piece[] = [];
    for (const c of [...o.charges].reverse()) {
      if (left <= 0) break;
      const cents = Math.min(c.unpaidCents, left);
      if (cents > 0) own.unshift({ service: o.service, date: c.date, cents });
      left -= cents;
    }
    if (left > 0) own.unshift({ service: o.service, date: '0000-01-01', cents: left });
    pieces.push(...own);
  }
  return pieces;
}

export function applyPayment(amountCents: number, owed: Owed[], settings: ApplicationSettings): Share[] {
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) throw new Error(`applyPayment: ${amountCents} is not a positive number of cents`);
  const rank = (s: Service) => {
    const i = settings.serviceOrder.indexOf(s);
    return i === -1 ? settings.serviceOrder.length : i;
  };
  const pieces = piecesOf(owed).sort((a, b) => a.date.localeCompare(b.date) || rank(a.service) - rank(b.service));
  const paid = new Map<Service, number>();
  let left = amountCents;
  if (settings.mode === 'oldest_first') {
    for (const p of pieces) {
      if (left === 0) break;
      const cents = Math.min(p.cents, left);
      paid.set(p.service, (paid.get(p.service) ?? 0) + cents);
      left -= cents;
    }
  } else {
    const dueBy = new Map<Service, number>();
    for (const p of pieces) dueBy.set(p.service, (dueBy.get(p.service) ?? 0) + p.cents);
    const total = [...dueBy.values()].reduce((a, b) => a + b, 0);
    const toShare = Math.min(left, total);
    if (toShare > 0) {
      // Largest remainder, in whole cents, ties to the district's service order.
      const exact = [...dueBy].map(([service, due]) => ({ service, due, whole: Math.floor((toShare * due) / total), rest: (toShare * due) % total }));
      let spare = toShare - exact.reduce((a, e) => a + e.whole, 0);
      for (const e of [...exact].sort((a, b) => b.rest - a.rest || rank(a.service) - rank(b.service))) {
        if (spare === 0) break;
        if (e.whole < e.due) { e.whole++; spare--; }
      }
      for (const e of exact) if (e.whole > 0) paid.set(e.service, e.whole);
      left -= toShare;
    }
  }
  const shares: Share[] = [...paid].sort((a, b) => rank(a[0]) - rank(b[0])).map(([service, cents]) => ({ service, amountCents: cents }));
  if (left > 0) shares.push({ service: null, amountCents: left });
  return shares;
}
