import type { StoredTariffVersion } from '../types.ts';

/** Of the live versions of one code, the one in force on `day` (the latest effective on or before it). */
export function inForce(versions: StoredTariffVersion[], day: string): StoredTariffVersion | undefined {
  return versions
    .filter((v) => !v.superseded && v.effectiveFrom <= day)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom) || b.version - a.version)[0];
}
