/**
 * The checks and edits every service order passes before it may change billing data (issue 3,
 * item 3). Pure: the completion workflow gathers the facts, these rules judge them. A `block`
 * finding stops completion outright (the data would be impossible); a `hold` finding files an
 * exception that a supervisor may override with a reason.
 */
import { Dec } from '../platform/decimal.ts';
import { registerUsage } from '../meter-read/index.ts';
import type { OrderType } from './repository.ts';

export type CheckCode =
  | 'closing_read_below_last'
  | 'closing_read_missing'
  | 'opening_read_missing'
  | 'read_missing'
  | 'overlapping_agreements'
  | 'meter_installed_elsewhere'
  | 'no_responsible_party'
  | 'exchange_meter_mismatch'
  | 'meter_not_installed';

export interface OrderFinding {
  code: CheckCode;
  severity: 'hold' | 'block';
  message: string;
}

export interface FieldRead {
  reading: string;
  rollover?: boolean;
  readType?: 'actual' | 'customer';
}

/** What the field reports when an order is worked. */
export interface FieldData {
  /** The read of the meter at the service point (for an exchange, the old meter's closing read). */
  read?: FieldRead | null;
  /** Meter exchange: the new meter's opening read. */
  newMeterRead?: FieldRead | null;
  /** Meter exchange: multiplier and dials as found on the meters in the field. */
  newMeter?: { multiplier?: string; dials?: number };
  oldMeter?: { multiplier?: string; dials?: number };
  sealNumber?: string;
  sealRemoved?: string;
  /** Meter test result. */
  test?: { accuracyPercent: string; passed: boolean };
  /** Tamper investigation findings. */
  tamperFound?: boolean;
  findings?: string;
  notes?: string;
}

export interface MeterFacts {
  id: number;
  serial: string;
  kind: 'electric' | 'water';
  multiplier: string;
  dials: number;
}

export interface OrderFacts {
  type: OrderType;
  metered: boolean;
  effectiveDate: string;
  field: FieldData;
  /** The meter at the service point on the effective date (the old one of an exchange). */
  meter: MeterFacts | null;
  lastRead: { readDate: string; reading: string } | null;
  rolloverMaxShare: string;
  /** Move-in: agreements at the point that overlap the new one and would not give way. */
  overlapping: { agreementId: number; accountId: number; startDate: string; endDate: string | null }[];
  /** Move-out: the landlord agreement covering the point, and whether it can take the service. */
  landlord: { id: number; accountId: number; accountStatus: string } | null;
  vacate: boolean;
  /** Meter exchange: the new meter and where it is installed now, if anywhere. */
  newMeter: (MeterFacts & { installedAtPointId: number | null }) | null;
}

const closes: OrderType[] = ['move_out', 'meter_exchange', 'disconnect'];
const needsRead: OrderType[] = ['check_read', 'meter_test'];

export function checkOrder(f: OrderFacts): OrderFinding[] {
  const out: OrderFinding[] = [];
  const hold = (code: CheckCode, message: string) => out.push({ code, severity: 'hold', message });
  const block = (code: CheckCode, message: string) => out.push({ code, severity: 'block', message });
  const read = f.field.read ?? null;

  if (f.type === 'move_in') {
    for (const o of f.overlapping) {
      block('overlapping_agreements', `Agreement ${o.agreementId} (account ${o.accountId}) runs from ${o.startDate} to ${o.endDate ?? 'open'} at this service point: end it before starting new service on ${f.effectiveDate}`);
    }
  }

  if (f.metered) {
    if (!f.meter) {
      if (read || f.type === 'move_in' || closes.includes(f.type) || needsRead.includes(f.type)) {
        hold('meter_not_installed', `No meter is installed at this service point on ${f.effectiveDate}${read ? `, so the read ${read.reading} has no meter to belong to` : ''}`);
      }
    } else {
      if (!read) {
        if (closes.includes(f.type)) hold('closing_read_missing', `A ${label(f.type)} needs a closing read of meter ${f.meter.serial}`);
        else if (f.type === 'move_in') hold('opening_read_missing', `Starting service needs an opening read of meter ${f.meter.serial}`);
        else if (needsRead.includes(f.type)) hold('read_missing', `A ${label(f.type)} needs a read of meter ${f.meter.serial}`);
      } else if (f.lastRead) {
        const measured = registerUsage(f.lastRead.reading, read.reading, f.meter.dials, f.meter.multiplier, read.rollover, f.rolloverMaxShare);
        if (measured.negative) {
          hold('closing_read_below_last', `The read ${read.reading} of meter ${f.meter.serial} is below its last read ${Dec.of(f.lastRead.reading).toString()} on ${f.lastRead.readDate}, with no rollover or exchange`);
        }
      }
      if (f.type === 'meter_exchange' && f.field.oldMeter) mismatch(f.meter, f.field.oldMeter, 'old', hold);
    }
  }

  if (f.type === 'meter_exchange') {
    const nm = f.newMeter;
    if (!nm) {
      block('meter_installed_elsewhere', 'The exchange names no new meter');
    } else {
      if (nm.installedAtPointId !== null) block('meter_installed_elsewhere', `New meter ${nm.serial} is already installed at service point ${nm.installedAtPointId}: one meter cannot be in two places`);
      if (f.field.newMeter) mismatch(nm, f.field.newMeter, 'new', hold);
      if (!f.field.newMeterRead) hold('opening_read_missing', `The exchange needs an opening read of new meter ${nm.serial}`);
    }
  }

  if (f.type === 'move_out' && f.landlord) {
    if (f.vacate) {
      hold('no_responsible_party', `Landlord agreement ${f.landlord.id} says account ${f.landlord.accountId} takes the service when the tenant leaves, but the order leaves it vacant`);
    } else if (f.landlord.accountStatus !== 'active') {
      hold('no_responsible_party', `Landlord agreement ${f.landlord.id} names account ${f.landlord.accountId}, which is ${f.landlord.accountStatus}: nobody would be responsible for the service after the move-out`);
    }
  }
  return out;
}

function mismatch(record: MeterFacts, found: { multiplier?: string; dials?: number }, which: 'old' | 'new', hold: (code: CheckCode, message: string) => void) {
  const diffs: string[] = [];
  if (found.multiplier !== undefined && !Dec.of(found.multiplier).eq(record.multiplier)) diffs.push(`multiplier ${found.multiplier} in the field, ${Dec.of(record.multiplier).toString()} on record`);
  if (found.dials !== undefined && found.dials !== record.dials) diffs.push(`${found.dials} dials in the field, ${record.dials} on record`);
  if (diffs.length > 0) hold('exchange_meter_mismatch', `The ${which} meter ${record.serial} disagrees with its record: ${diffs.join('; ')}`);
}

export const orderTypeLabels: Record<OrderType, string> = {
  move_in: 'move-in',
  move_out: 'move-out',
  meter_exchange: 'meter exchange',
  meter_test: 'meter test',
  check_read: 'check read',
  disconnect: 'disconnect',
  reconnect: 'reconnect',
  tamper_investigation: 'tamper investigation',
};
const label = (t: OrderType) => orderTypeLabels[t];
