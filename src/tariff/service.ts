/**
 * Tariff versions: load (parse, number, supersede, audit), look up, and quote. The arithmetic is
 * rating.ts's `calculateBill`; this file only finds the versions it needs.
 */
import { createHash } from 'node:crypto';
import { recordChange } from '../audit/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { calculateBill } from './rating.ts';
import * as repo from './repository.ts';
import { parseTariffVersion } from './schema.ts';
import type { RatingInput, RatingResult, TariffVersion } from './types.ts';

export interface StoredTariffVersion {
  id: number;
  code: string;
  version: number;
  service: TariffVersion['service'];
  name: string;
  effectiveFrom: string;
  loadedAt: string;
  reason: string;
  superseded: boolean;
  tariff: TariffVersion;
}

const toStored = (r: repo.TariffVersionRow): StoredTariffVersion => ({
  id: r.id, code: r.code, version: r.version, service: r.service, name: r.name, effectiveFrom: r.effective_from,
  loadedAt: r.loaded_at.toISOString(), reason: r.reason, superseded: r.superseded_by !== null,
  tariff: { ...(r.body as TariffVersion), version: r.version },
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface LoadResult {
  version: StoredTariffVersion;
  /** The same file was loaded before: nothing changed. */
  unchanged: boolean;
  /** The version this one replaced (same code and effective date), if any. */
  superseded: number | null;
}

/** Loads a tariff file as the next version of its code. Loading the same content again changes nothing. */
export async function loadTariff(db: Db, actor: Actor, clock: Clock, json: unknown, reason: string): Promise<LoadResult> {
  const parsed = parseTariffVersion(json);
  const { version: _ignored, ...body } = parsed;
  const hash = sha256(JSON.stringify(body));
  return transact(db, async (trx) => {
    await repo.lockCode(trx, body.code);
    const same = await repo.liveVersionOn(trx, body.code, body.effectiveFrom);
    if (same && same.body_sha256 === hash) return { version: toStored(same), unchanged: true, superseded: null };
    const next = (await repo.latestVersionNumber(trx, body.code)) + 1;
    const row = await repo.insertVersion(trx, {
      code: body.code, version: next, service: body.service, name: body.name, effective_from: body.effectiveFrom,
      body: JSON.stringify(body), body_sha256: hash, loaded_at: clock.now(), loaded_by: actor.userId, reason,
    });
    if (same) await repo.supersede(trx, same.id, row.id);
    await recordChange(trx, actor, {
      action: same ? 'supersede' : 'create', entityType: 'tariff_version', entityId: row.id,
      before: same ? { code: same.code, version: same.version, effectiveFrom: same.effective_from } : undefined,
      after: { code: row.code, version: row.version, effectiveFrom: row.effective_from, sha256: hash }, reason,
    });
    return { version: toStored(row), unchanged: false, superseded: same?.version ?? null };
  });
}

/** The live versions of every code, oldest first within a code. */
export async function listTariffs(db: Db): Promise<StoredTariffVersion[]> {
  return (await repo.liveVersions(db)).map(toStored);
}

/** Every version of one code, superseded ones included, newest first. */
export async function tariffHistory(db: Db, code: string): Promise<StoredTariffVersion[]> {
  const rows = await repo.historyOf(db, code);
  if (rows.length === 0) throw notFound('Tariff', code);
  return rows.map(toStored);
}

export async function getTariffVersion(db: Db, code: string, version: number): Promise<StoredTariffVersion> {
  const row = await repo.findVersion(db, code, version);
  if (!row) throw notFound('Tariff version', `${code} v${version}`);
  return toStored(row);
}

/**
 * The live versions of the given codes, by code: what rating needs for any period. The billing
 * run loads this once per run.
 */
export async function versionsByCode(db: Db, codes?: string[]): Promise<Map<string, TariffVersion[]>> {
  const byCode = new Map<string, TariffVersion[]>();
  for (const r of await repo.liveVersions(db, codes)) {
    const list = byCode.get(r.code) ?? [];
    list.push(toStored(r).tariff);
    byCode.set(r.code, list);
  }
  return byCode;
}

export type QuoteInput = Omit<RatingInput, 'versions' | 'partial'> & { partial?: boolean } & ({ code: string } | { tariff: unknown });

/** Rates a made-up period: a stored tariff by code, or a tariff file not yet loaded. */
export async function quote(db: Db, input: QuoteInput): Promise<RatingResult & { tariff: string }> {
  let versions: TariffVersion[];
  if (!('tariff' in input) && !input.code) throw invalid('code', 'give the code of a loaded tariff, or a tariff file');
  if ('tariff' in input) {
    versions = [parseTariffVersion(input.tariff)];
  } else {
    versions = (await versionsByCode(db, [input.code])).get(input.code) ?? [];
    if (versions.length === 0) throw new AppError('not_found', `No tariff ${input.code} is loaded`, { resource: 'Tariff', id: input.code });
  }
  const { code: _c, tariff: _t, ...rest } = input as QuoteInput & { code?: string; tariff?: unknown };
  const result = calculateBill({ ...rest, partial: rest.partial ?? false, versions });
  return { ...result, tariff: versions[0]!.code };
}
