/** CLI commands for collections: `collections schedule show|generate --year YYYY`. */
import { collections } from '../collections/index.ts';
import type { Command } from './commands.ts';
import { actorFor } from './field-commands.ts';
import { CliError, printResult } from './output.ts';
import { str, withRuntime } from './runtime.ts';

const USAGE = 'usage: ratepayer collections schedule show|generate --year YYYY [--reason R] [--json]';

export const collectionsCommands: Record<string, Command> = {
  collections: {
    options: { year: { type: 'string' }, reason: { type: 'string' }, as: { type: 'string' }, json: { type: 'boolean' } },
    async run(v, [area, sub]) {
      const raw = str(v, 'year');
      if (area !== 'schedule' || (sub !== 'show' && sub !== 'generate') || !raw || !/^\d{4}$/.test(raw)) throw new CliError(USAGE);
      const year = Number(raw);
      await withRuntime(async (rt) => {
        const items = sub === 'generate'
          ? (await collections.generateDelinquencySchedule(rt.db, await actorFor(rt.db, v), rt.clock, year, str(v, 'reason') ?? 'Made again from the billing schedule')).entries
          : await collections.delinquencyScheduleOfYear(rt.db, year);
        printResult(!!v.json, { year, items }, () => items.length === 0
          ? `No delinquency schedule for ${year}: generate the billing schedule first (ratepayer schedule generate --year ${year})`
          : ['month cycle  due         past due    late fee    notice      disconnect  (out of state)',
            ...items.map((e) => `${String(e.month).padStart(5)} ${String(e.cycle).padStart(5)}  ${e.dueDate}  ${e.pastDueDate}  ${e.lateFeeDate}  ${e.noticeDate}  ${e.disconnectEligibleDate}  ${e.disconnectEligibleOutOfStateDate}`)].join('\n'));
      });
    },
  },
};
