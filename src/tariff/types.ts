/**
 * The tariff format (docs/tariffs.md, JSON Schema in schema.ts) and the rating calculation's input
 * and output. A tariff version is data: the rating code knows charge kinds, never rate codes.
 *
 * Quantities and prices are decimal strings (exact); money leaves rating as integer cents.
 */
import type { RoundingMode } from '../platform/decimal.ts';

export type Service = 'electric' | 'water' | 'fiber';

/** Units a tariff can price in. Meter units (kWh, gal, cf, ccf) convert to these (rating.ts). */
export type PriceUnit = 'kWh' | 'kW' | 'gal' | 'kgal' | 'cf' | 'ccf' | 'day' | 'month' | 'each';

/** A part of the year, by month and day, inclusive at both ends; may wrap the new year (11-01..02-28). */
export interface Season {
  name: string;
  /** MM-DD */
  from: string;
  /** MM-DD */
  to: string;
}

/**
 * One block (tier) of an inclining or declining block charge. The convention is stated once per
 * charge by `blockBounds` (GUIDE 3.1: two public conventions disagree):
 *  - `upTo_inclusive` (OpenEI style): each block gives the cumulative upper bound of use it covers,
 *    inclusive; 600 means units 0 < u <= 600 are in this block. The last block has `upTo: null`.
 */
export interface Block {
  /** Cumulative upper bound of the block, in the charge's unit per billing month; null = no limit. */
  upTo: string | null;
  price: string;
}

/** A price that may differ by season: a plain price, or one per season name (with a `default`). */
export type SeasonalPrice = string | { bySeason: Record<string, string>; default?: string };
export type SeasonalBlocks = Block[] | { bySeason: Record<string, Block[]>; default?: Block[] };

interface ChargeBase {
  /** Short code printed on the bill and used by taxes and riders to name lines, e.g. BASIC, ENERGY. */
  code: string;
  description: string;
}

/** A fixed charge per day, per month (prorated by days on a partial period), or per bill. */
export interface FixedCharge extends ChargeBase {
  kind: 'fixed';
  per: 'day' | 'month' | 'bill';
  price: SeasonalPrice;
  /** Water base charge by meter size: the price for the service's meter size (e.g. "5/8", "1"). */
  byMeterSize?: Record<string, string>;
}

/** A charge on use: flat (price) or blocks; `unit` is what the price is per (kWh, kgal, ccf ...). */
export interface UsageCharge extends ChargeBase {
  kind: 'usage';
  unit: PriceUnit;
  price?: SeasonalPrice;
  blocks?: SeasonalBlocks;
  blockBounds?: 'upTo_inclusive';
  /**
   * How block bounds scale with the period: `per_bill` (default) gives each regular bill the whole
   * bound and a partial bill its share by days over `standardMonthDays`; `per_day` always scales by
   * days / `standardMonthDays`.
   */
  blockBasis?: 'per_bill' | 'per_day';
}

/** Energy priced by time-of-use bucket (names as the TOU schedule gives them: on_peak, off_peak ...). */
export interface TouCharge extends ChargeBase {
  kind: 'tou';
  unit: 'kWh';
  /** The TOU schedule whose buckets the prices name (meter-read's tou_schedules, e.g. "standard"). */
  schedule: string;
  prices: Record<string, SeasonalPrice>;
}

/** Demand: the billing kW (max of actual, ratchet, minimum) x price. */
export interface DemandCharge extends ChargeBase {
  kind: 'demand';
  price: SeasonalPrice;
  /** Billing demand is at least this percent of the highest demand in the last `months` bills. */
  ratchet?: { percent: string; months: number };
  minimumKw?: string;
}

/** A rider: a price per unit of use (a power-cost adjustment), or a percent of named lines. */
export interface RiderCharge extends ChargeBase {
  kind: 'rider';
  unit?: PriceUnit;
  perUnit?: string;
  percent?: string;
  /** Line codes the percent applies to. */
  of?: string[];
}

/** A one-time charge on the first bill of an agreement (fiber installation) or while flagged (equipment). */
export interface OneTimeCharge extends ChargeBase {
  kind: 'one_time';
  /** `first_bill`: only on the bill that starts the agreement. */
  when: 'first_bill';
  price: string;
}

export type Charge = FixedCharge | UsageCharge | TouCharge | DemandCharge | RiderCharge | OneTimeCharge;

/**
 * A tax: percent of the named lines (or all charge lines), optionally plus other taxes (a tax on a
 * taxed amount: Washington's privilege tax charged on the charges plus the utility tax).
 */
export interface Tax {
  code: string;
  description: string;
  percent: string;
  /** Line codes taxed; omitted = every charge line (not taxes). */
  on?: string[];
  /** Other tax codes whose rounded amounts are added to the base. */
  plusTaxes?: string[];
}

/** A bill smaller than this (charges before taxes) is raised to it by a "minimum bill" line. */
export interface MinimumBill {
  amount: string;
  per: 'month' | 'bill';
  description?: string;
}

/** Net metering (RCW 80.60): excess generation is banked in kWh and lapses on the true-up date. */
export interface NetMetering {
  /** The usage charge codes whose quantity is reduced by received kWh and banked credit. */
  appliesTo: string[];
  /** MM-DD: on this date each year unused credit passes to the utility (April 30 by default). */
  trueUpDate: string;
}

/** One version of a rate schedule, in force from `effectiveFrom` until the next version of its code. */
export interface TariffVersion {
  code: string;
  name: string;
  service: Service;
  /** YYYY-MM-DD */
  effectiveFrom: string;
  rounding: RoundingMode;
  /** Days in a standard month, for prorating monthly amounts (30 unless the tariff says otherwise). */
  standardMonthDays?: number;
  seasons?: Season[];
  charges: Charge[];
  minimumBill?: MinimumBill;
  netMetering?: NetMetering;
  taxes?: Tax[];
  /** Version label given when loaded (e.g. 3); set by the store, not by the file. */
  version?: number;
}

/** What rating needs to know about one bill period of one agreement. No I/O: everything is here. */
export interface RatingInput {
  /** Every version of the tariff that overlaps the period (any order). */
  versions: TariffVersion[];
  /** Service days, inclusive at both ends. */
  periodFrom: string;
  periodTo: string;
  /** The agreement starts or ends inside the period (move-in, move-out): monthly amounts prorate by days. */
  partial: boolean;
  /** This bill starts the agreement (one-time charges). */
  firstBill?: boolean;
  /** Total use in the meter's unit over the period (meter exchanges already counted once). */
  usage?: string;
  usageUnit?: 'kWh' | 'gal' | 'cf' | 'ccf';
  /** Highest demand in the period, kW. */
  demandKw?: string;
  /** kWh by TOU bucket name. */
  tou?: Record<string, string>;
  /** Net metering: kWh received from the customer in the period, and credit banked before it. */
  receivedKwh?: string;
  bankedKwh?: string;
  /** Water base charge by meter size. */
  meterSize?: string;
  /** Demand of earlier bills (for a ratchet), newest first. */
  priorDemandsKw?: string[];
  /** Tax codes the account is exempt from. */
  taxExemptions?: string[];
}

export type LineKind = 'charge' | 'rider' | 'minimum' | 'tax' | 'credit';

export interface BillLine {
  code: string;
  description: string;
  kind: LineKind;
  quantity: string;
  unit: string;
  unitPrice: string;
  amountCents: number;
  /** `CODE v3` of the version the line comes from. */
  tariffVersion: string;
  /** The service days the line covers (a rate change or season splits a charge into lines). */
  from: string;
  to: string;
  /** How the line was derived, in words a customer-service rep can read to the customer. */
  derivation: string;
}

export interface RatingResult {
  lines: BillLine[];
  totalCents: number;
  /** Net metering: credit carried to the next bill, and credit that lapsed at a true-up in this period. */
  bankedKwh?: string;
  lapsedKwh?: string;
  /** The billing demand used (after ratchet and minimum). */
  billingDemandKw?: string;
}
