/**
 * The demo district, generated: pure and deterministic. The same seed, count and "today" give the
 * same rows; no I/O, no Math.random, no clock.
 *
 * Accounts are made in blocks of BLOCK_SIZE, each block from its own PRNG stream seeded by
 * (seed, block number). Inside a block an account may refer to the one before it (the next
 * tenant of a premise, a second location of a business, a landlord's apartment units), never
 * across blocks, so any batch that starts on a block boundary can be generated on its own and a
 * district of N accounts is the first N accounts of a larger one.
 *
 * A batch holds rows with references by position inside the batch (`customer: 3` is the batch's
 * fourth customer). `toRows` turns them into table rows once the database has handed out ids,
 * account-number sequence values and so meter serials.
 */
import { accountNumberFor } from '../customer/index.ts';
import {
  businessNouns, businessPrefixes, businessSuffixes, emailDomains, firstNames, hispanicFirstNames, hispanicLastNames,
  lastNames, locationNotes, mailingCities, meterModels, mobileExchanges, propertyManagerWords, ruralRoads, towns, type Town,
} from './names.ts';

export const BLOCK_SIZE = 64;

// ---------------------------------------------------------------------------------------------
// Randomness

/** mulberry32: a small, fast 32-bit PRNG; plenty for made-up data. */
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Whole number in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(Math.floor(this.next() * 10));
    return s;
  }
}

/** Mixes two numbers into one 32-bit seed (a murmur3-style finalizer). */
export function mixSeed(a: number, b: number): number {
  let h = (Math.imul(a >>> 0, 0x9e3779b1) ^ Math.imul((b >>> 0) + 0x7f4a7c15, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const townTotalWeight = towns.reduce((s, t) => s + t.weight, 0);
function pickTown(rng: Rng): Town {
  let r = rng.next() * townTotalWeight;
  for (const t of towns) {
    r -= t.weight;
    if (r < 0) return t;
  }
  return towns[0]!;
}

// ---------------------------------------------------------------------------------------------
// Dates, as YYYY-MM-DD strings counted in whole days (UTC arithmetic: no time zones involved).

const DAY_MS = 86_400_000;
// Memoized both ways: a district has a few thousand distinct dates and makes millions of them.
const dayOf = new Map<string, number>();
const dateOf = new Map<number, string>();
function toDay(date: string): number {
  let day = dayOf.get(date);
  if (day === undefined) {
    day = Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
    if (Number.isNaN(day)) throw new Error(`Not a date: ${date}`);
    dayOf.set(date, day);
  }
  return day;
}
function fromDay(day: number): string {
  let date = dateOf.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dateOf.set(day, date);
  }
  return date;
}
export const addDays = (date: string, days: number) => fromDay(toDay(date) + days);

// ---------------------------------------------------------------------------------------------
// What a batch holds

export interface GenCustomer {
  kind: 'person' | 'business';
  firstName: string | null;
  lastName: string | null;
  businessName: string | null;
  displayName: string;
  dateOfBirth: string | null;
  preferredLanguage: string;
}
export interface GenContact {
  customer: number;
  kind: 'phone' | 'mobile' | 'email';
  value: string;
  phoneDigits: string | null;
  label: string | null;
  isPrimary: boolean;
}
export interface GenIdentifier {
  customer: number;
  kind: 'ssn_last4' | 'drivers_license' | 'state_id' | 'ein' | 'ubi';
  value: string;
}
export interface Address {
  line1: string;
  line2: string | null;
  city: string;
  state: string;
  postalCode: string;
}
export type AccountStatus = 'pending' | 'active' | 'final' | 'closed';
export type CustomerClass = 'residential' | 'commercial' | 'irrigation';
export interface GenAccount {
  customer: number;
  status: AccountStatus;
  customerClass: CustomerClass;
  billingCycle: number;
  billing: Address;
  openedOn: string;
  closedOn: string | null;
}
export interface GenAlert {
  account: number;
  kind: 'medical_certificate' | 'bankruptcy' | 'deceased' | 'cash_only' | 'pledge_pending' | 'budget_billing' | 'payment_arrangement' | 'life_support' | 'safety';
  note: string | null;
  startsOn: string;
  endsOn: string | null;
}
export type PremiseType = 'single_family' | 'multi_family' | 'mobile_home' | 'commercial' | 'irrigation';
export interface GenPremise extends Address {
  premiseType: PremiseType;
  area: string;
  spaceHeating: boolean;
  ownerCustomer: number | null;
}
export type Service = 'electric' | 'water' | 'fiber';
export interface GenServicePoint {
  premise: number;
  service: Service;
  status: 'active' | 'inactive' | 'disconnected';
  route: string | null;
  locationNote: string | null;
}
export interface GenMeter {
  /** The service point it is installed at. */
  servicePoint: number;
  kind: 'electric' | 'water';
  manufacturer: string;
  model: string;
  multiplier: number;
  dials: number;
  size: string | null;
  installedOn: string;
}
export interface GenAgreement {
  account: number;
  servicePoint: number;
  rateCode: string;
  startDate: string;
  endDate: string | null;
}

export interface DistrictBatch {
  /** Position of the batch's first account in the district. */
  start: number;
  customers: GenCustomer[];
  contacts: GenContact[];
  identifiers: GenIdentifier[];
  accounts: GenAccount[];
  alerts: GenAlert[];
  premises: GenPremise[];
  servicePoints: GenServicePoint[];
  meters: GenMeter[];
  agreements: GenAgreement[];
}

const emptyBatch = (start: number): DistrictBatch => ({
  start, customers: [], contacts: [], identifiers: [], accounts: [], alerts: [], premises: [], servicePoints: [], meters: [], agreements: [],
});

// ---------------------------------------------------------------------------------------------
// Generation

/** A premise's service points as the next tenant takes them over. */
interface PremiseServices {
  premise: number;
  points: { servicePoint: number; service: Service; rateCode: string }[];
}

interface BlockState {
  rng: Rng;
  today: string;
  b: DistrictBatch;
  /** The apartment building being filled with tenants. */
  building: { town: Town; line1: string; owner: number; unitsLeft: number; nextUnit: number; cycle: number; route: string; fiber: boolean } | null;
  /** A premise whose tenant just moved out, for the next account to move into. */
  vacated: (PremiseServices & { cycle: number; movedOutOn: string }) | null;
  /** The last business made, which may open another location. */
  business: { customer: number; billing: Address; cycle: number } | null;
  /** The last residential customer, who may also run an irrigation pump. */
  resident: { customer: number; billing: Address } | null;
}

/**
 * The accounts [start, start + count) of the district: `start` must be a multiple of BLOCK_SIZE.
 * `today` anchors every date (opened, closed, alerts).
 */
export function generateBatch(seed: number, start: number, count: number, today: string): DistrictBatch {
  if (start % BLOCK_SIZE !== 0) throw new Error(`A batch starts on a block boundary (a multiple of ${BLOCK_SIZE}), not at ${start}`);
  const b = emptyBatch(start);
  for (let blockStart = start; blockStart < start + count; blockStart += BLOCK_SIZE) {
    const state: BlockState = {
      rng: new Rng(mixSeed(seed, blockStart / BLOCK_SIZE)),
      today, b, building: null, vacated: null, business: null, resident: null,
    };
    const n = Math.min(BLOCK_SIZE, start + count - blockStart);
    for (let i = 0; i < n; i++) nextAccount(state);
  }
  return b;
}

/** The whole district in batches of `batchSize` accounts (rounded up to whole blocks). */
export function* generateDistrict(seed: number, count: number, today: string, batchSize = 4096): Generator<DistrictBatch> {
  const size = Math.max(BLOCK_SIZE, Math.ceil(batchSize / BLOCK_SIZE) * BLOCK_SIZE);
  for (let start = 0; start < count; start += size) yield generateBatch(seed, start, Math.min(size, count - start), today);
}

function nextAccount(s: BlockState): void {
  const { rng } = s;
  if (s.vacated) return moveIn(s);
  if (s.building && s.building.unitsLeft > 0) return apartment(s);
  s.building = null;
  if (s.business && rng.chance(0.2)) return business(s, s.business);
  s.business = null;
  const r = rng.next();
  if (r < 0.068) return business(s, null);
  if (r < 0.083) return buildingOwner(s);
  if (r < 0.113) return irrigation(s);
  if (r < 0.163) return house(s, 'mobile_home');
  return house(s, 'single_family');
}

// ---- people and businesses ----

const cleanForEmail = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();

function phone(rng: Rng, exchange: string): { value: string; digits: string } {
  const line = rng.digits(4);
  const style = rng.int(0, 9);
  const value = style < 6 ? `(509) ${exchange}-${line}` : style < 9 ? `509-${exchange}-${line}` : `509.${exchange}.${line}`;
  return { value, digits: `509${exchange}${line}` };
}

function addPerson(s: BlockState, town: Town): number {
  const { rng, b } = s;
  const hispanic = rng.chance(0.22);
  const firstName = hispanic && rng.chance(0.7) ? rng.pick(hispanicFirstNames) : rng.pick(firstNames);
  const lastName = hispanic ? rng.pick(hispanicLastNames) : rng.pick(lastNames);
  const middle = rng.chance(0.1) ? ` ${String.fromCharCode(65 + rng.int(0, 25))}` : '';
  const first = firstName + middle;
  const customer = b.customers.length;
  b.customers.push({
    kind: 'person',
    firstName: first,
    lastName,
    businessName: null,
    displayName: `${first} ${lastName}`,
    dateOfBirth: rng.chance(0.65) ? addDays('1935-01-01', rng.int(0, 70 * 365)) : null,
    preferredLanguage: hispanic && rng.chance(0.35) ? 'es' : 'en',
  });
  let primaryPhone = true;
  if (rng.chance(0.74)) {
    const p = phone(rng, rng.pick(mobileExchanges));
    b.contacts.push({ customer, kind: 'mobile', value: p.value, phoneDigits: p.digits, label: rng.chance(0.3) ? 'Cell' : null, isPrimary: true });
    primaryPhone = false;
  }
  if (rng.chance(primaryPhone ? 0.8 : 0.2)) {
    const p = phone(rng, rng.pick(town.exchanges));
    b.contacts.push({ customer, kind: 'phone', value: p.value, phoneDigits: p.digits, label: 'Home', isPrimary: primaryPhone });
  }
  if (rng.chance(0.55)) {
    const user = rng.chance(0.5)
      ? `${cleanForEmail(firstName)}.${cleanForEmail(lastName)}`
      : `${cleanForEmail(firstName).slice(0, 1)}${cleanForEmail(lastName)}${rng.int(1, 99)}`;
    b.contacts.push({ customer, kind: 'email', value: `${user}@${rng.pick(emailDomains)}`, phoneDigits: null, label: null, isPrimary: true });
  }
  if (rng.chance(0.6)) b.identifiers.push({ customer, kind: 'ssn_last4', value: rng.digits(4) });
  if (rng.chance(0.35)) {
    const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
    let dl = 'WDL';
    for (let i = 0; i < 9; i++) dl += chars[rng.int(0, chars.length - 1)];
    b.identifiers.push({ customer, kind: 'drivers_license', value: dl });
  } else if (rng.chance(0.04)) {
    b.identifiers.push({ customer, kind: 'state_id', value: `WA${rng.digits(9)}` });
  }
  return customer;
}

function addBusiness(s: BlockState, town: Town, name: string): number {
  const { rng, b } = s;
  const customer = b.customers.length;
  b.customers.push({ kind: 'business', firstName: null, lastName: null, businessName: name, displayName: name, dateOfBirth: null, preferredLanguage: 'en' });
  if (rng.chance(0.95)) {
    const p = phone(rng, rng.pick(town.exchanges));
    b.contacts.push({ customer, kind: 'phone', value: p.value, phoneDigits: p.digits, label: 'Office', isPrimary: true });
  }
  if (rng.chance(0.2)) {
    const p = phone(rng, rng.pick(mobileExchanges));
    b.contacts.push({ customer, kind: 'mobile', value: p.value, phoneDigits: p.digits, label: 'Owner', isPrimary: true });
  }
  if (rng.chance(0.5)) {
    const slug = cleanForEmail(name.replace(/\b(LLC|Inc|Co|Corp|Group)\b/g, '')).slice(0, 24);
    b.contacts.push({ customer, kind: 'email', value: `${rng.pick(['billing', 'office', 'info', 'ap'])}@${slug}.com`, phoneDigits: null, label: 'Billing', isPrimary: true });
  }
  if (rng.chance(0.8)) b.identifiers.push({ customer, kind: 'ubi', value: `6${rng.digits(8)}` });
  if (rng.chance(0.5)) b.identifiers.push({ customer, kind: 'ein', value: `91-${rng.digits(7)}` });
  return customer;
}

function businessName(rng: Rng, town: Town): string {
  const suffix = rng.pick(businessSuffixes);
  const r = rng.next();
  const base =
    r < 0.4 ? `${rng.pick(businessPrefixes)} ${rng.pick(businessNouns)}`
    : r < 0.75 ? `${rng.pick(rng.chance(0.2) ? hispanicLastNames : lastNames)} ${rng.pick(businessNouns)}`
    : `${town.city} ${rng.pick(businessNouns)}`;
  return suffix ? `${base} ${suffix}` : base;
}

// ---- addresses ----

function street(rng: Rng, town: Town): { name: string; route: string } {
  const index = rng.int(0, town.streets.length - 1);
  const name = town.streets[index]!;
  return { name, route: routeCode(town, index) };
}
const routeCode = (town: Town, streetIndex: number) => `${town.area}-${String(1 + (mixSeed(streetIndex, town.area.charCodeAt(0)) % town.routes)).padStart(2, '0')}`;

function townAddress(rng: Rng, town: Town, line2: string | null = null): { address: Address; route: string } {
  const st = street(rng, town);
  const number = rng.chance(0.75) ? rng.int(100, 2999) : rng.int(3000, 9999);
  return { address: { line1: `${number} ${st.name}`, line2, city: town.city, state: 'WA', postalCode: town.postalCode }, route: st.route };
}

function ruralAddress(rng: Rng, town: Town, line2: string | null = null): { address: Address; route: string } {
  const index = rng.int(0, ruralRoads.length - 1);
  const route = `${town.area}-R${1 + (index % 3)}`;
  return { address: { line1: `${rng.int(1000, 19999)} ${ruralRoads[index]}`, line2, city: town.city, state: 'WA', postalCode: town.postalCode }, route };
}

/** Where the bills go: usually the service address; sometimes a PO Box or an address elsewhere. */
function billingAddress(s: BlockState, serviceAddress: Address, town: Town, pElsewhere: number): Address {
  const { rng } = s;
  if (!rng.chance(pElsewhere)) return serviceAddress;
  if (rng.chance(0.75)) return { line1: `PO Box ${rng.int(1, 4999)}`, line2: null, city: town.city, state: 'WA', postalCode: town.postalCode };
  const m = rng.pick(mailingCities);
  return { line1: `${rng.int(100, 24999)} ${rng.pick(['Pine', 'Oak', 'Lake', 'Hill', 'Union', 'Market', 'Broadway', 'Desert Sky', 'Harbor'])} ${rng.pick(['St', 'Ave', 'Blvd', 'Dr'])}`, line2: rng.chance(0.2) ? `Unit ${rng.int(1, 400)}` : null, city: m.city, state: m.state, postalCode: m.postalCode };
}

// ---- dates ----

/** When an account opened: tenures are mostly short, some go back decades. */
function openedOn(s: BlockState, meanYears: number): string {
  const years = Math.min(30, -Math.log(1 - s.rng.next()) * meanYears);
  return addDays(s.today, -Math.max(20, Math.floor(years * 365)));
}

// ---- premises, services, meters ----

function addPremise(s: BlockState, address: Address, premiseType: PremiseType, town: Town, spaceHeating: boolean, owner: number | null): number {
  s.b.premises.push({ ...address, premiseType, area: town.area, spaceHeating, ownerCustomer: owner });
  return s.b.premises.length - 1;
}

function addServicePoint(s: BlockState, premise: number, service: Service, status: GenServicePoint['status'], route: string | null): number {
  const { rng, b } = s;
  const note = service === 'electric' && rng.chance(0.08) ? rng.pick(locationNotes) : null;
  b.servicePoints.push({ premise, service, status, route: service === 'fiber' ? null : route, locationNote: note });
  return b.servicePoints.length - 1;
}

function addElectricMeter(s: BlockState, servicePoint: number, installedOn: string, large: boolean): void {
  const { rng } = s;
  const model = rng.pick(large ? meterModels.electricCt : meterModels.electric);
  s.b.meters.push({ servicePoint, kind: 'electric', ...model, multiplier: large ? rng.pick([40, 80]) : 1, dials: 5, size: null, installedOn });
}

const waterSizes = { residential: ['5/8"', '5/8"', '5/8"', '5/8"', '3/4"', '3/4"', '1"'], commercial: ['3/4"', '1"', '1"', '2"', '2"'] } as const;
function addWaterMeter(s: BlockState, servicePoint: number, installedOn: string, size: string): void {
  const model = s.rng.pick(meterModels.water);
  s.b.meters.push({ servicePoint, kind: 'water', ...model, multiplier: 1, dials: 6, size, installedOn });
}

function addAccount(s: BlockState, a: GenAccount): number {
  s.b.accounts.push(a);
  return s.b.accounts.length - 1;
}

/** Status and dates of a new account, and of its agreements. */
function accountLife(s: BlockState, meanYears: number, canClose: boolean) {
  const { rng, today } = s;
  const r = rng.next();
  if (r < 0.004) {
    // New service, waiting for connection.
    return { status: 'pending' as const, openedOn: addDays(today, -rng.int(1, 10)), closedOn: null, startDate: addDays(today, rng.int(1, 21)) };
  }
  const opened = openedOn(s, meanYears);
  const daysOpen = toDay(today) - toDay(opened);
  if (canClose && r < 0.014) {
    return { status: 'final' as const, openedOn: opened, closedOn: addDays(today, -rng.int(1, Math.min(40, daysOpen - 1))), startDate: opened };
  }
  if (canClose && r < 0.045 && daysOpen > 200) {
    const closedOn = addDays(opened, rng.int(90, daysOpen - 60));
    return { status: 'closed' as const, openedOn: opened, closedOn, startDate: opened };
  }
  return { status: 'active' as const, openedOn: opened, closedOn: null, startDate: opened };
}

/** The fiber network reached most streets between 2008 and recently. */
const fiberStart = (s: BlockState, opened: string) => {
  const built = addDays('2008-01-01', s.rng.int(0, toDay(s.today) - toDay('2008-01-01') - 30));
  return built > opened ? built : opened;
};

function spStatus(accountStatus: AccountStatus, s: BlockState): GenServicePoint['status'] {
  if (accountStatus === 'pending' || accountStatus === 'closed') return 'inactive';
  return s.rng.chance(0.004) ? 'disconnected' : 'active';
}

function addAlerts(s: BlockState, account: number, a: GenAccount): void {
  const { rng, today, b } = s;
  const add = (kind: GenAlert['kind'], note: string | null, startsOn: string, endsOn: string | null) => b.alerts.push({ account, kind, note, startsOn, endsOn });
  if (a.status === 'final' && rng.chance(0.15)) add('deceased', 'Customer deceased; family notified the district', addDays(a.closedOn!, -rng.int(0, 20)), null);
  if (a.status !== 'active') return;
  if (a.customerClass === 'residential') {
    if (rng.chance(0.03)) add('budget_billing', null, addDays(today, -rng.int(30, 1500)), null);
    if (rng.chance(0.004)) {
      const start = addDays(today, -rng.int(0, 50));
      add('medical_certificate', 'Medical certificate on file', start, addDays(start, 60));
    }
    if (rng.chance(0.003)) add('pledge_pending', 'Energy assistance pledge pending (Chelan-Douglas Community Action)', addDays(today, -rng.int(0, 20)), addDays(today, rng.int(10, 40)));
    if (rng.chance(0.001)) add('life_support', 'Oxygen concentrator in the home', addDays(today, -rng.int(30, 2000)), null);
  }
  if (rng.chance(0.01)) {
    const start = addDays(today, -rng.int(0, 150));
    add('payment_arrangement', `Arrears paid over ${rng.pick([3, 6, 9, 12])} months`, start, addDays(start, 180));
  }
  if (rng.chance(0.004)) add('cash_only', 'Two returned payments in twelve months', addDays(today, -rng.int(10, 700)), null);
  if (rng.chance(0.001)) add('bankruptcy', 'Chapter 7 petition filed', addDays(today, -rng.int(5, 200)), null);
  if (rng.chance(0.005)) add('safety', rng.pick(['Aggressive dog: call before entering', 'Locked gate', 'Unsafe stairs to meter']), addDays(today, -rng.int(10, 3000)), null);
}

/** Electric (and water, fiber) service points at a premise, with their meters. */
function addServices(
  s: BlockState,
  premise: number,
  opts: { status: AccountStatus; route: string; installedOn: string; electric: boolean; water: string | null; fiber: boolean; largeElectric: boolean; rates: { electric: string; water: string; fiber: string } },
): PremiseServices {
  const points: PremiseServices['points'] = [];
  const status = spStatus(opts.status, s);
  if (opts.electric) {
    const sp = addServicePoint(s, premise, 'electric', status, opts.route);
    addElectricMeter(s, sp, opts.installedOn, opts.largeElectric);
    points.push({ servicePoint: sp, service: 'electric', rateCode: opts.rates.electric });
  }
  if (opts.water) {
    const sp = addServicePoint(s, premise, 'water', status === 'disconnected' ? 'active' : status, opts.route);
    addWaterMeter(s, sp, opts.installedOn, opts.water);
    points.push({ servicePoint: sp, service: 'water', rateCode: opts.rates.water });
  }
  if (opts.fiber) {
    const sp = addServicePoint(s, premise, 'fiber', status === 'disconnected' ? 'active' : status, null);
    points.push({ servicePoint: sp, service: 'fiber', rateCode: opts.rates.fiber });
  }
  return { premise, points };
}

function addAgreements(s: BlockState, account: number, services: PremiseServices, startDate: string, endDate: string | null, opened: string): void {
  for (const p of services.points) {
    const start = p.service === 'fiber' && startDate === opened ? fiberStart(s, opened) : startDate;
    if (endDate && start > endDate) continue;
    s.b.agreements.push({ account, servicePoint: p.servicePoint, rateCode: p.rateCode, startDate: start, endDate });
  }
  // Every account has at least one agreement: fall back to the first service point from the start.
  if (!s.b.agreements.length || s.b.agreements[s.b.agreements.length - 1]!.account !== account) {
    const p = services.points[0]!;
    s.b.agreements.push({ account, servicePoint: p.servicePoint, rateCode: p.rateCode, startDate, endDate });
  }
}

const residentialFiber = (rng: Rng) => (rng.chance(0.78) ? 'FIB-100' : 'FIB-1G');
const residentialRates = (rng: Rng) => ({ electric: 'RES-E', water: 'RES-W', fiber: residentialFiber(rng) });

// ---- kinds of account ----

/** A house or a mobile home, in town or out; sometimes the tenant has moved out and another follows. */
function house(s: BlockState, premiseType: 'single_family' | 'mobile_home'): void {
  const { rng } = s;
  const town = pickTown(rng);
  const rural = rng.chance(premiseType === 'mobile_home' ? 0.3 : 0.18);
  const line2 = premiseType === 'mobile_home' && rng.chance(0.6) ? `Space ${rng.int(1, 120)}` : null;
  const { address, route } = rural ? ruralAddress(rng, town, line2) : townAddress(rng, town, line2);
  const rented = rng.chance(0.3);
  const owner = rented && s.resident && rng.chance(0.4) ? s.resident.customer : null;
  const customer = addPerson(s, town);
  const life = accountLife(s, rented ? 3 : 9, true);
  const billing = billingAddress(s, address, town, 0.035);
  const account = addAccount(s, { customer, status: life.status, customerClass: 'residential', billingCycle: rng.int(1, 20), billing, openedOn: life.openedOn, closedOn: life.closedOn });
  const premise = addPremise(s, address, premiseType, town, rng.chance(0.65), owner);
  const noElectric = !rural && rng.chance(0.005);
  const services = addServices(s, premise, {
    status: life.status,
    route,
    installedOn: addDays(life.openedOn, -rng.int(0, 2000)),
    electric: !noElectric,
    water: !rural && (noElectric || rng.chance(0.9)) ? rng.pick(waterSizes.residential) : null,
    fiber: rng.chance(0.4),
    largeElectric: false,
    rates: residentialRates(rng),
  });
  addAgreements(s, account, services, life.startDate, life.closedOn, life.openedOn);
  addAlerts(s, account, s.b.accounts[account]!);
  if (life.status === 'closed' || life.status === 'final') {
    s.vacated = { ...services, cycle: s.b.accounts[account]!.billingCycle, movedOutOn: life.closedOn! };
  }
  s.resident = { customer, billing };
}

/** The next tenant of a premise someone just left. */
function moveIn(s: BlockState): void {
  const { rng, today } = s;
  const vacated = s.vacated!;
  s.vacated = null;
  const premise = s.b.premises[vacated.premise]!;
  const town = towns.find((t) => t.area === premise.area)!;
  const customer = addPerson(s, town);
  const start = addDays(vacated.movedOutOn, rng.int(1, 30));
  const pending = start > today;
  const address: Address = { line1: premise.line1, line2: premise.line2, city: premise.city, state: premise.state, postalCode: premise.postalCode };
  const billing = billingAddress(s, address, town, 0.035);
  const account = addAccount(s, { customer, status: pending ? 'pending' : 'active', customerClass: 'residential', billingCycle: vacated.cycle, billing, openedOn: pending ? today : start, closedOn: null });
  for (const p of vacated.points) {
    if (p.service === 'fiber' && rng.chance(0.4)) continue;
    s.b.agreements.push({ account, servicePoint: p.servicePoint, rateCode: p.service === 'fiber' ? residentialFiber(rng) : p.rateCode, startDate: start, endDate: null });
    // The premise has a tenant again.
    s.b.servicePoints[p.servicePoint]!.status = pending ? 'inactive' : 'active';
  }
  if (s.b.agreements[s.b.agreements.length - 1]?.account !== account) {
    const p = vacated.points[0]!;
    s.b.agreements.push({ account, servicePoint: p.servicePoint, rateCode: p.rateCode, startDate: start, endDate: null });
  }
  addAlerts(s, account, s.b.accounts[account]!);
  s.resident = { customer, billing };
}

/** A business location: a new business, or another location of the last one. */
function business(s: BlockState, existing: BlockState['business']): void {
  const { rng } = s;
  const town = pickTown(rng);
  const { address, route } = townAddress(rng, town, rng.chance(0.3) ? `Suite ${rng.pick(['A', 'B', 'C', '100', '101', '102', '200', '201'])}` : null);
  const customer = existing ? existing.customer : addBusiness(s, town, businessName(rng, town));
  const life = accountLife(s, 12, true);
  const billing = existing ? existing.billing : billingAddress(s, address, town, 0.15);
  const cycle = existing ? existing.cycle : rng.int(1, 20);
  const account = addAccount(s, { customer, status: life.status, customerClass: 'commercial', billingCycle: cycle, billing, openedOn: life.openedOn, closedOn: life.closedOn });
  const premise = addPremise(s, address, 'commercial', town, rng.chance(0.3), null);
  const services = addServices(s, premise, {
    status: life.status,
    route,
    installedOn: addDays(life.openedOn, -rng.int(0, 1000)),
    electric: true,
    water: rng.chance(0.85) ? rng.pick(waterSizes.commercial) : null,
    fiber: rng.chance(0.55),
    largeElectric: rng.chance(0.15),
    rates: { electric: 'GS-E', water: 'COM-W', fiber: rng.chance(0.5) ? 'FIB-100' : 'FIB-1G' },
  });
  addAgreements(s, account, services, life.startDate, life.closedOn, life.openedOn);
  addAlerts(s, account, s.b.accounts[account]!);
  s.business = { customer, billing, cycle };
}

/** An apartment building: the owner's account for the common areas; the tenants follow. */
function buildingOwner(s: BlockState): void {
  const { rng } = s;
  const town = pickTown(rng);
  const { address, route } = townAddress(rng, town);
  const owner = rng.chance(0.6)
    ? addBusiness(s, town, `${rng.pick(rng.chance(0.5) ? businessPrefixes : lastNames)} ${rng.pick(propertyManagerWords)} ${rng.pick(['LLC', 'LLC', 'Inc'])}`)
    : addPerson(s, town);
  const opened = openedOn(s, 14);
  const cycle = rng.int(1, 20);
  const billing = billingAddress(s, address, town, 0.7);
  const account = addAccount(s, { customer: owner, status: 'active', customerClass: 'commercial', billingCycle: cycle, billing, openedOn: opened, closedOn: null });
  const premise = addPremise(s, address, 'multi_family', town, false, owner);
  const units = rng.int(3, 12);
  const fiber = rng.chance(0.6);
  const services = addServices(s, premise, {
    status: 'active', route, installedOn: opened, electric: true, water: '2"', fiber: false, largeElectric: units > 8,
    rates: { electric: 'GS-E', water: 'COM-W', fiber: 'FIB-1G' },
  });
  addAgreements(s, account, services, opened, null, opened);
  s.building = { town, line1: address.line1, owner, unitsLeft: units, nextUnit: rng.chance(0.5) ? 1 : 101, cycle, route, fiber };
}

/** A tenant in the current apartment building. */
function apartment(s: BlockState): void {
  const { rng } = s;
  const bld = s.building!;
  bld.unitsLeft--;
  const unit = bld.nextUnit++;
  const address: Address = { line1: bld.line1, line2: `Apt ${unit}`, city: bld.town.city, state: 'WA', postalCode: bld.town.postalCode };
  const customer = addPerson(s, bld.town);
  const life = accountLife(s, 2, false);
  const account = addAccount(s, { customer, status: life.status, customerClass: 'residential', billingCycle: bld.cycle, billing: billingAddress(s, address, bld.town, 0.02), openedOn: life.openedOn, closedOn: life.closedOn });
  const premise = addPremise(s, address, 'multi_family', bld.town, rng.chance(0.85), bld.owner);
  const services = addServices(s, premise, {
    status: life.status, route: bld.route, installedOn: addDays(life.openedOn, -rng.int(0, 3000)), electric: true, water: null,
    fiber: bld.fiber && rng.chance(0.5), largeElectric: false, rates: residentialRates(rng),
  });
  addAgreements(s, account, services, life.startDate, life.closedOn, life.openedOn);
  addAlerts(s, account, s.b.accounts[account]!);
}

/** An irrigation pump, often run by the orchardist of the house before. */
function irrigation(s: BlockState): void {
  const { rng } = s;
  const town = pickTown(rng);
  const { address, route } = ruralAddress(rng, town, rng.chance(0.5) ? `Pump ${rng.int(1, 4)}` : null);
  const reuse = s.resident && rng.chance(0.5) ? s.resident : null;
  const customer = reuse ? reuse.customer : rng.chance(0.3) ? addBusiness(s, town, `${rng.pick(lastNames)} ${rng.pick(['Orchards', 'Ranch', 'Farms', 'Fruit Co'])} ${rng.pick(['LLC', 'Inc', ''])}`.trim()) : addPerson(s, town);
  const life = accountLife(s, 15, false);
  const billing = reuse ? reuse.billing : billingAddress(s, address, town, 0.3);
  const account = addAccount(s, { customer, status: life.status, customerClass: 'irrigation', billingCycle: rng.int(1, 20), billing, openedOn: life.openedOn, closedOn: life.closedOn });
  const premise = addPremise(s, address, 'irrigation', town, false, null);
  const services = addServices(s, premise, {
    status: life.status, route, installedOn: addDays(life.openedOn, -rng.int(0, 3000)), electric: true, water: null, fiber: false,
    largeElectric: rng.chance(0.2), rates: { electric: 'IRR-E', water: 'COM-W', fiber: 'FIB-100' },
  });
  addAgreements(s, account, services, life.startDate, life.closedOn, life.openedOn);
  addAlerts(s, account, s.b.accounts[account]!);
}

// ---------------------------------------------------------------------------------------------
// From a batch to table rows, once the database has handed out ids.

/** Ids and sequence values reserved in the database, one per generated row of each kind. */
export interface ReservedIds {
  customers: readonly number[];
  accounts: readonly number[];
  accountSequences: readonly number[];
  premises: readonly number[];
  servicePoints: readonly number[];
  meters: readonly number[];
}

/**
 * A meter's serial from its id: a letter for the kind and eight digits. The digits are the id
 * scrambled by a bijection of 0..99,999,999 (multiplying by a number prime to 10^8), so serials
 * are unique for unique ids but do not run in the order the rows were made.
 */
export function meterSerial(kind: 'electric' | 'water', id: number): string {
  const n = ((id % 100_000_000) * 7_919 + (kind === 'electric' ? 13_579_246 : 86_420_135)) % 100_000_000;
  return `${kind === 'electric' ? 'E' : 'W'}${String(n).padStart(8, '0')}`;
}

/** Column arrays per table, ready for `insert ... select * from unnest(...)`. */
export interface DistrictRows {
  customers: { id: number[]; kind: string[]; first_name: (string | null)[]; last_name: (string | null)[]; business_name: (string | null)[]; display_name: string[]; date_of_birth: (string | null)[]; preferred_language: string[] };
  customer_contacts: { customer_id: number[]; kind: string[]; value: string[]; phone_digits: (string | null)[]; label: (string | null)[]; is_primary: boolean[] };
  customer_identifiers: { customer_id: number[]; kind: string[]; value: string[] };
  accounts: {
    id: number[]; account_number: string[]; customer_id: number[]; status: string[]; customer_class: string[]; billing_cycle: number[];
    billing_line1: string[]; billing_line2: (string | null)[]; billing_city: string[]; billing_state: string[]; billing_postal_code: string[];
    opened_on: string[]; closed_on: (string | null)[];
  };
  account_alerts: { account_id: number[]; kind: string[]; note: (string | null)[]; starts_on: string[]; ends_on: (string | null)[] };
  premises: {
    id: number[]; line1: string[]; line2: (string | null)[]; city: string[]; state: string[]; postal_code: string[]; premise_type: string[];
    area: string[]; space_heating: boolean[]; owner_customer_id: (number | null)[];
  };
  service_points: { id: number[]; premise_id: number[]; service: string[]; status: string[]; route: (string | null)[]; location_note: (string | null)[] };
  meters: { id: number[]; serial: string[]; kind: string[]; manufacturer: string[]; model: string[]; multiplier: number[]; dials: number[]; size: (string | null)[]; status: string[] };
  meter_installations: { meter_id: number[]; service_point_id: number[]; installed_on: string[] };
  service_agreements: { account_id: number[]; service_point_id: number[]; rate_code: string[]; start_date: string[]; end_date: (string | null)[] };
}

/** How many ids of each kind a batch needs. */
export const idsNeeded = (b: DistrictBatch) => ({
  customers: b.customers.length,
  accounts: b.accounts.length,
  premises: b.premises.length,
  servicePoints: b.servicePoints.length,
  meters: b.meters.length,
});

export function toRows(b: DistrictBatch, ids: ReservedIds): DistrictRows {
  const need = idsNeeded(b);
  for (const [key, n] of Object.entries(need)) {
    if (ids[key as keyof typeof need].length !== n) throw new Error(`Reserved ${ids[key as keyof typeof need].length} ${key} ids for ${n} rows`);
  }
  if (ids.accountSequences.length !== b.accounts.length) throw new Error('One account-number sequence value per account is needed');
  const cid = (i: number) => ids.customers[i]!;
  return {
    customers: {
      id: [...ids.customers],
      kind: b.customers.map((c) => c.kind),
      first_name: b.customers.map((c) => c.firstName),
      last_name: b.customers.map((c) => c.lastName),
      business_name: b.customers.map((c) => c.businessName),
      display_name: b.customers.map((c) => c.displayName),
      date_of_birth: b.customers.map((c) => c.dateOfBirth),
      preferred_language: b.customers.map((c) => c.preferredLanguage),
    },
    customer_contacts: {
      customer_id: b.contacts.map((c) => cid(c.customer)),
      kind: b.contacts.map((c) => c.kind),
      value: b.contacts.map((c) => c.value),
      phone_digits: b.contacts.map((c) => c.phoneDigits),
      label: b.contacts.map((c) => c.label),
      is_primary: b.contacts.map((c) => c.isPrimary),
    },
    customer_identifiers: {
      customer_id: b.identifiers.map((x) => cid(x.customer)),
      kind: b.identifiers.map((x) => x.kind),
      value: b.identifiers.map((x) => x.value),
    },
    accounts: {
      id: [...ids.accounts],
      account_number: ids.accountSequences.map((n) => accountNumberFor(n)),
      customer_id: b.accounts.map((a) => cid(a.customer)),
      status: b.accounts.map((a) => a.status),
      customer_class: b.accounts.map((a) => a.customerClass),
      billing_cycle: b.accounts.map((a) => a.billingCycle),
      billing_line1: b.accounts.map((a) => a.billing.line1),
      billing_line2: b.accounts.map((a) => a.billing.line2),
      billing_city: b.accounts.map((a) => a.billing.city),
      billing_state: b.accounts.map((a) => a.billing.state),
      billing_postal_code: b.accounts.map((a) => a.billing.postalCode),
      opened_on: b.accounts.map((a) => a.openedOn),
      closed_on: b.accounts.map((a) => a.closedOn),
    },
    account_alerts: {
      account_id: b.alerts.map((x) => ids.accounts[x.account]!),
      kind: b.alerts.map((x) => x.kind),
      note: b.alerts.map((x) => x.note),
      starts_on: b.alerts.map((x) => x.startsOn),
      ends_on: b.alerts.map((x) => x.endsOn),
    },
    premises: {
      id: [...ids.premises],
      line1: b.premises.map((p) => p.line1),
      line2: b.premises.map((p) => p.line2),
      city: b.premises.map((p) => p.city),
      state: b.premises.map((p) => p.state),
      postal_code: b.premises.map((p) => p.postalCode),
      premise_type: b.premises.map((p) => p.premiseType),
      area: b.premises.map((p) => p.area),
      space_heating: b.premises.map((p) => p.spaceHeating),
      owner_customer_id: b.premises.map((p) => (p.ownerCustomer === null ? null : cid(p.ownerCustomer))),
    },
    service_points: {
      id: [...ids.servicePoints],
      premise_id: b.servicePoints.map((sp) => ids.premises[sp.premise]!),
      service: b.servicePoints.map((sp) => sp.service),
      status: b.servicePoints.map((sp) => sp.status),
      route: b.servicePoints.map((sp) => sp.route),
      location_note: b.servicePoints.map((sp) => sp.locationNote),
    },
    meters: {
      id: [...ids.meters],
      serial: b.meters.map((m, i) => meterSerial(m.kind, ids.meters[i]!)),
      kind: b.meters.map((m) => m.kind),
      manufacturer: b.meters.map((m) => m.manufacturer),
      model: b.meters.map((m) => m.model),
      multiplier: b.meters.map((m) => m.multiplier),
      dials: b.meters.map((m) => m.dials),
      size: b.meters.map((m) => m.size),
      status: b.meters.map(() => 'installed'),
    },
    meter_installations: {
      meter_id: [...ids.meters],
      service_point_id: b.meters.map((m) => ids.servicePoints[m.servicePoint]!),
      installed_on: b.meters.map((m) => m.installedOn),
    },
    service_agreements: {
      account_id: b.agreements.map((a) => ids.accounts[a.account]!),
      service_point_id: b.agreements.map((a) => ids.servicePoints[a.servicePoint]!),
      rate_code: b.agreements.map((a) => a.rateCode),
      start_date: b.agreements.map((a) => a.startDate),
      end_date: b.agreements.map((a) => a.endDate),
    },
  };
}

/** Consecutive values from `first`: what a fresh database's sequences hand out (tests). */
export const range = (first: number, n: number): number[] => Array.from({ length: n }, (_, i) => first + i);
