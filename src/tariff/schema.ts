/**
 * The tariff file format as a JSON Schema (docs/tariffs.md explains every field), and
 * `parseTariffVersion`, which checks a file against the schema and then against the rules a schema
 * cannot say (increasing block bounds, codes that name each other, declared seasons ...). Every
 * refusal names the JSON path of the first bad field: `tariff RES-E: /charges/1/blocks/0/price: ...`.
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { Type, type TSchema } from 'typebox';
import { isDate } from '../platform/dates.ts';
import { Dec } from '../platform/decimal.ts';
import { AppError } from '../platform/errors.ts';
import { inSeason } from './rating.ts';
import type { Block, Charge, SeasonalBlocks, SeasonalPrice, Season, TariffVersion } from './types.ts';

const closed = { additionalProperties: false } as const;

const DECIMAL = '^-?\\d+(\\.\\d+)?$';
const UNSIGNED = '^\\d+(\\.\\d+)?$';
const MONTH_DAY = '^\\d{2}-\\d{2}$';
const CODE = '^[A-Z0-9][A-Z0-9_-]{0,19}$';

const Decimal = (description: string) => Type.String({ pattern: DECIMAL, description: `${description} (exact decimal string, e.g. "0.0812")` });
const Unsigned = (description: string) => Type.String({ pattern: UNSIGNED, description: `${description} (exact decimal string, not negative)` });
const MonthDay = (description: string) => Type.String({ pattern: MONTH_DAY, description: `${description} (MM-DD)` });
const Code = (description: string) => Type.String({ pattern: CODE, description });
const Codes = (description: string) => Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true, description });
const PriceUnit = Type.Enum(['kWh', 'kW', 'gal', 'kgal', 'cf', 'ccf', 'day', 'month', 'each'] as const);

/** A price, or one price per season name with an optional `default` for days in no named season. */
const SeasonalPriceSchema = (description: string) => Type.Union([
  Decimal(description),
  Type.Object({
    bySeason: Type.Record(Type.String(), Decimal('Price in this season'), { minProperties: 1 }),
    default: Type.Optional(Decimal('Price on days in no named season')),
  }, closed),
], { description: `${description}: one price, or { bySeason, default }` });

const BlockSchema = Type.Object({
  upTo: Type.Unsafe<string | null>({
    type: ['string', 'null'], pattern: UNSIGNED,
    description: 'Cumulative upper bound of the block per billing month, inclusive; null on the last block',
  }),
  price: Decimal('Price per unit of use in this block'),
}, closed);
const Blocks = Type.Array(BlockSchema, { minItems: 1 });
const SeasonalBlocksSchema = Type.Union([
  Blocks,
  Type.Object({ bySeason: Type.Record(Type.String(), Blocks, { minProperties: 1 }), default: Type.Optional(Blocks) }, closed),
], { description: 'Blocks, or { bySeason, default } with blocks per season' });

const chargeBase = {
  code: Code('Line code printed on the bill and named by riders and taxes, e.g. ENERGY'),
  description: Type.String({ minLength: 1, maxLength: 100, description: 'Line text on the bill' }),
};

const FixedChargeSchema = Type.Object({
  ...chargeBase,
  kind: Type.Literal('fixed'),
  per: Type.Enum(['day', 'month', 'bill'] as const, { description: 'day: x days; month: prorated by days; bill: once per bill' }),
  price: SeasonalPriceSchema('Price per day, month or bill'),
  byMeterSize: Type.Optional(Type.Record(Type.String(), Decimal('Price for this meter size'), {
    minProperties: 1, description: 'Price by meter size (e.g. "5/8\\""); replaces `price`',
  })),
}, closed);

const UsageChargeSchema = Type.Object({
  ...chargeBase,
  kind: Type.Literal('usage'),
  unit: PriceUnit,
  price: Type.Optional(SeasonalPriceSchema('Flat price per unit')),
  blocks: Type.Optional(SeasonalBlocksSchema),
  blockBounds: Type.Optional(Type.Literal('upTo_inclusive')),
  blockBasis: Type.Optional(Type.Enum(['per_bill', 'per_day'] as const)),
}, closed);

const TouChargeSchema = Type.Object({
  ...chargeBase,
  kind: Type.Literal('tou'),
  unit: Type.Literal('kWh'),
  schedule: Type.String({ minLength: 1, description: 'TOU schedule code (meter-read tou_schedules), e.g. standard' }),
  prices: Type.Record(Type.String(), SeasonalPriceSchema('Price per kWh in this bucket'), { minProperties: 1 }),
}, closed);

const DemandChargeSchema = Type.Object({
  ...chargeBase,
  kind: Type.Literal('demand'),
  price: SeasonalPriceSchema('Price per billing kW per month'),
  ratchet: Type.Optional(Type.Object({
    percent: Unsigned('Percent of the highest earlier demand'),
    months: Type.Integer({ minimum: 1, maximum: 36, description: 'How many earlier bills the ratchet looks back' }),
  }, closed)),
  minimumKw: Type.Optional(Unsigned('Billing demand is at least this')),
}, closed);

const RiderChargeSchema = Type.Object({
  ...chargeBase,
  kind: Type.Literal('rider'),
  unit: Type.Optional(PriceUnit),
  perUnit: Type.Optional(Decimal('Price per unit of use (negative for a credit)')),
  percent: Type.Optional(Decimal('Percent of the lines named by `of`')),
  of: Type.Optional(Codes('Charge codes the percent applies to')),
}, closed);

const OneTimeChargeSchema = Type.Object({
  ...chargeBase,
  kind: Type.Literal('one_time'),
  when: Type.Literal('first_bill'),
  price: Decimal('Price, charged once'),
}, closed);

const chargeKinds = [FixedChargeSchema, UsageChargeSchema, TouChargeSchema, DemandChargeSchema, RiderChargeSchema, OneTimeChargeSchema];
/** oneOf + discriminator: a bad charge is reported against its own kind's schema only. */
const ChargeSchema = Type.Unsafe<Charge>({
  oneOf: chargeKinds,
  discriminator: { propertyName: 'kind' },
  required: ['kind'],
  description: 'A charge; `kind` says which: fixed, usage, tou, demand, rider, one_time',
});

const TaxSchema = Type.Object({
  code: Code('Tax code, e.g. PUT'),
  description: Type.String({ minLength: 1, maxLength: 100 }),
  percent: Unsigned('Tax rate in percent, e.g. "3.873"'),
  on: Type.Optional(Codes('Line codes taxed; omitted = every charge, rider and minimum line')),
  plusTaxes: Type.Optional(Codes('Other taxes whose amounts are added to the base')),
}, closed);

const SeasonSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 40 }),
  from: MonthDay('First day, inclusive'),
  to: MonthDay('Last day, inclusive; may be before `from` to wrap the new year'),
}, closed);

export const TariffVersionSchema = Type.Object({
  code: Code('Rate code, e.g. RES-E'),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  service: Type.Enum(['electric', 'water', 'fiber'] as const),
  effectiveFrom: Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'First day in force (YYYY-MM-DD)' }),
  rounding: Type.Enum(['half_up', 'half_even', 'down', 'up'] as const, { description: 'How each line is rounded to the cent' }),
  standardMonthDays: Type.Optional(Type.Integer({ minimum: 28, maximum: 31, description: 'Days in a standard month for proration (30)' })),
  seasons: Type.Optional(Type.Array(SeasonSchema)),
  charges: Type.Array(ChargeSchema, { minItems: 1 }),
  minimumBill: Type.Optional(Type.Object({
    amount: Unsigned('Smallest total of charges and riders'),
    per: Type.Enum(['month', 'bill'] as const),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  }, closed)),
  netMetering: Type.Optional(Type.Object({
    appliesTo: Codes('Usage charges (kWh) billed on net use'),
    trueUpDate: MonthDay('Unused credit passes to the utility on this day each year'),
  }, closed)),
  taxes: Type.Optional(Type.Array(TaxSchema)),
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'Set by the store when loaded; ignored in a file' })),
}, { ...closed, title: 'Ratepayer tariff version', description: 'One version of a rate schedule; see docs/tariffs.md' });

// ---------------------------------------------------------------------------------------------
// Validation: the schema first, then the rules between fields.

const ajv = new Ajv({ allErrors: false, strict: false, discriminator: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validateSchema = ajv.compile(TariffVersionSchema as TSchema);

class TariffPathError extends Error {
  constructor(readonly path: string, readonly reason: string) { super(reason); }
}
const fail = (path: string, reason: string): never => { throw new TariffPathError(path, reason); };

/** Checks a tariff file (parsed JSON) and returns it typed; refuses with the path of the first bad field. */
export function parseTariffVersion(json: unknown): TariffVersion {
  const code = typeof json === 'object' && json !== null && typeof (json as { code?: unknown }).code === 'string'
    ? (json as { code: string }).code : '(no code)';
  try {
    if (!validateSchema(json)) {
      const { path, reason } = firstSchemaError(validateSchema.errors ?? []);
      fail(path, reason);
    }
    checkSemantics(json as TariffVersion);
  } catch (e) {
    if (!(e instanceof TariffPathError)) throw e;
    throw new AppError('validation', `tariff ${code}: ${e.path || '/'}: ${e.reason}`, { path: e.path || '/' });
  }
  return json as TariffVersion;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** An ajv error as a path to the field at fault and a reason in words. */
function describe(e: ErrorObject): { path: string; reason: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': return { path: `${e.instancePath}/${escapePointer(String(p.additionalProperty))}`, reason: 'unknown property' };
    case 'required': return { path: `${e.instancePath}/${escapePointer(String(p.missingProperty))}`, reason: 'is required' };
    case 'discriminator': return { path: `${e.instancePath}/kind`, reason: `must be one of ${['fixed', 'usage', 'tou', 'demand', 'rider', 'one_time'].join(', ')}` };
    case 'enum': return { path: e.instancePath, reason: `must be one of ${(p.allowedValues as unknown[]).join(', ')}` };
    default: return { path: e.instancePath, reason: e.message ?? e.keyword };
  }
}

/**
 * The most useful of ajv's errors: the deepest path (inside a union, the branch that got furthest);
 * the alternatives of a union that failed at the same place are joined with "or".
 */
function firstSchemaError(errors: ErrorObject[]): { path: string; reason: string } {
  const described = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf').map(describe);
  if (described.length === 0) return { path: errors[0]?.instancePath ?? '', reason: errors[0]?.message ?? 'is invalid' };
  const depth = (path: string) => path.split('/').length;
  const deepest = described.reduce((best, d) => (depth(d.path) > depth(best.path) ? d : best));
  const reasons = [...new Set(described.filter((d) => d.path === deepest.path).map((d) => d.reason))];
  return { path: deepest.path, reason: reasons.join(' or ') };
}

// ---------------------------------------------------------------------------------------------
// The rules between fields.

function checkSemantics(t: TariffVersion): void {
  if (!isDate(t.effectiveFrom)) fail('/effectiveFrom', 'must be a valid date YYYY-MM-DD');
  const seasons = checkSeasons(t.seasons ?? []);
  const chargeCodes = checkUniqueCodes(t);
  t.charges.forEach((c, i) => checkCharge(c, `/charges/${i}`, seasons, t.charges, i));
  if (t.netMetering) checkNetMetering(t);
  checkTaxes(t, chargeCodes);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function isMonthDay(value: string): boolean {
  const m = /^(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]!;
}

/** Season names are unique, dates valid, and no day of the year lies in two seasons. */
function checkSeasons(seasons: Season[]): Set<string> {
  const names = new Set<string>();
  seasons.forEach((s, i) => {
    if (names.has(s.name)) fail(`/seasons/${i}/name`, `season "${s.name}" is declared twice`);
    names.add(s.name);
    if (!isMonthDay(s.from)) fail(`/seasons/${i}/from`, 'must be a valid MM-DD');
    if (!isMonthDay(s.to)) fail(`/seasons/${i}/to`, 'must be a valid MM-DD');
  });
  for (let day = '2024-01-01'; day.startsWith('2024'); day = nextDay(day)) {
    const md = day.slice(5);
    const hits = seasons.map((s, i) => [s, i] as const).filter(([s]) => inSeason(md, s));
    if (hits.length > 1) fail(`/seasons/${hits[1]![1]}`, `overlaps season "${hits[0]![0].name}" on ${md}`);
  }
  return names;
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Charge and tax codes are unique together; MINIMUM is the minimum-bill line's own code. */
function checkUniqueCodes(t: TariffVersion): Set<string> {
  const seen = new Set<string>();
  const entries = [
    ...t.charges.map((c, i) => [c.code, `/charges/${i}/code`] as const),
    ...(t.taxes ?? []).map((x, i) => [x.code, `/taxes/${i}/code`] as const),
  ];
  for (const [code, path] of entries) {
    if (code === 'MINIMUM') fail(path, 'MINIMUM is reserved for the minimum-bill line');
    if (seen.has(code)) fail(path, `code ${code} is used twice`);
    seen.add(code);
  }
  return new Set(t.charges.map((c) => c.code));
}

function checkCharge(c: Charge, path: string, seasons: Set<string>, all: Charge[], index: number): void {
  switch (c.kind) {
    case 'fixed': return checkSeasonalPrice(c.price, `${path}/price`, seasons);
    case 'usage': return checkUsageCharge(c, path, seasons);
    case 'tou': {
      for (const [bucket, price] of Object.entries(c.prices)) checkSeasonalPrice(price, `${path}/prices/${escapePointer(bucket)}`, seasons);
      return;
    }
    case 'demand': return checkSeasonalPrice(c.price, `${path}/price`, seasons);
    case 'rider': return checkRider(c, path, all, index);
    case 'one_time': return;
  }
}

function checkSeasonalPrice(price: SeasonalPrice, path: string, seasons: Set<string>): void {
  if (typeof price === 'string') return;
  for (const name of Object.keys(price.bySeason)) checkSeasonName(name, `${path}/bySeason/${escapePointer(name)}`, seasons);
}

function checkSeasonName(name: string, path: string, seasons: Set<string>): void {
  if (!seasons.has(name)) fail(path, `season "${name}" is not declared in seasons`);
}

function checkUsageCharge(c: Extract<Charge, { kind: 'usage' }>, path: string, seasons: Set<string>): void {
  if ((c.price === undefined) === (c.blocks === undefined)) fail(path, 'a usage charge has exactly one of price and blocks');
  if (c.price !== undefined) {
    if (c.blockBounds !== undefined) fail(`${path}/blockBounds`, 'only a charge with blocks has blockBounds');
    if (c.blockBasis !== undefined) fail(`${path}/blockBasis`, 'only a charge with blocks has blockBasis');
    checkSeasonalPrice(c.price, `${path}/price`, seasons);
  }
  if (c.blocks !== undefined) checkSeasonalBlocks(c.blocks, `${path}/blocks`, seasons);
}

function checkSeasonalBlocks(blocks: SeasonalBlocks, path: string, seasons: Set<string>): void {
  if (Array.isArray(blocks)) return checkBlocks(blocks, path);
  for (const [name, list] of Object.entries(blocks.bySeason)) {
    const seasonPath = `${path}/bySeason/${escapePointer(name)}`;
    checkSeasonName(name, seasonPath, seasons);
    checkBlocks(list, seasonPath);
  }
  if (blocks.default) checkBlocks(blocks.default, `${path}/default`);
}

/** Bounds above zero and strictly increasing; the last block, and only it, is open (upTo null). */
function checkBlocks(blocks: Block[], path: string): void {
  let previous = Dec.zero;
  blocks.forEach((b, i) => {
    const last = i === blocks.length - 1;
    if (b.upTo === null) {
      if (!last) fail(`${path}/${i}/upTo`, 'only the last block may have upTo null');
      return;
    }
    if (last) fail(`${path}/${i}/upTo`, 'the last block must have upTo null (no limit)');
    const bound = Dec.of(b.upTo);
    if (!bound.gt(previous)) fail(`${path}/${i}/upTo`, `must be greater than ${previous.toString()} (bounds strictly increase)`);
    previous = bound;
  });
}

/** perUnit, or percent of earlier charges; never both. */
function checkRider(c: Extract<Charge, { kind: 'rider' }>, path: string, all: Charge[], index: number): void {
  const hasPercent = c.percent !== undefined || c.of !== undefined;
  if ((c.perUnit !== undefined) === hasPercent) fail(path, 'a rider has either perUnit, or percent and of');
  if (c.perUnit !== undefined) return;
  if (c.percent === undefined) fail(`${path}/percent`, 'is required with of');
  if (c.of === undefined) fail(`${path}/of`, 'is required with percent');
  if (c.unit !== undefined) fail(`${path}/unit`, 'only a perUnit rider has a unit');
  c.of!.forEach((code, i) => {
    const at = all.findIndex((x) => x.code === code);
    if (at < 0) fail(`${path}/of/${i}`, `no charge ${code} in this tariff`);
    // Riders are rated in order, so a percent rider sees only riders declared before it.
    if (at === index) fail(`${path}/of/${i}`, 'a rider cannot be a percent of itself');
    if (all[at]!.kind === 'rider' && at > index) fail(`${path}/of/${i}`, `rider ${code} must be declared before this rider`);
  });
}

function checkNetMetering(t: TariffVersion): void {
  const nm = t.netMetering!;
  if (!isMonthDay(nm.trueUpDate) || nm.trueUpDate === '02-29') fail('/netMetering/trueUpDate', 'must be a valid MM-DD (not 02-29)');
  nm.appliesTo.forEach((code, i) => {
    const charge = t.charges.find((c) => c.code === code);
    if (!charge || charge.kind !== 'usage' || charge.unit !== 'kWh') fail(`/netMetering/appliesTo/${i}`, `${code} is not a usage charge in kWh in this tariff`);
  });
}

function checkTaxes(t: TariffVersion, chargeCodes: Set<string>): void {
  const taxes = t.taxes ?? [];
  const taxCodes = new Set(taxes.map((x) => x.code));
  const lineCodes = new Set([...chargeCodes, ...(t.minimumBill ? ['MINIMUM'] : [])]);
  taxes.forEach((tax, i) => {
    tax.on?.forEach((code, j) => {
      if (!lineCodes.has(code)) fail(`/taxes/${i}/on/${j}`, `no charge ${code} in this tariff`);
    });
    tax.plusTaxes?.forEach((code, j) => {
      if (code === tax.code) fail(`/taxes/${i}/plusTaxes/${j}`, 'a tax cannot be added to itself');
      if (!taxCodes.has(code)) fail(`/taxes/${i}/plusTaxes/${j}`, `no tax ${code} in this tariff`);
    });
  });
  const cycle = findTaxCycle(taxes.map((x) => ({ code: x.code, deps: x.plusTaxes ?? [] })));
  if (cycle !== null) fail(`/taxes/${cycle}/plusTaxes`, 'taxes added to each other form a cycle');
}

/** Index of a tax on a plusTaxes cycle, or null. */
function findTaxCycle(taxes: { code: string; deps: string[] }[]): number | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const byCode = new Map(taxes.map((x) => [x.code, x]));
  const visit = (code: string): boolean => {
    if (state.get(code) === 'done') return false;
    if (state.get(code) === 'visiting') return true;
    state.set(code, 'visiting');
    const cyclic = (byCode.get(code)?.deps ?? []).some(visit);
    state.set(code, 'done');
    return cyclic;
  };
  const at = taxes.findIndex((x) => visit(x.code));
  return at < 0 ? null : at;
}
