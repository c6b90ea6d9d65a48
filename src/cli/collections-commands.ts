/**
 * CLI commands for collections: `collections schedule show|generate --year YYYY`, the daily
 * `collections run --date D`, the work queue, an account's panel, the print file and notices,
 * and staff's disconnect and reconnect.
 */
import fs from 'node:fs';
import { collections } from '../collections/index.ts';
import { isDate } from '../platform/dates.ts';
import { formatCents } from '../platform/money.ts';
import type { Command } from './commands.ts';
import { actorFor } from './field-commands.ts';
import { CliError, printResult } from './output.ts';
import { str, withRuntime, type Values, idArg, reasonArg as reasonOf } from './runtime.ts';

const USAGE = [
  'usage: ratepayer collections schedule show|generate --year YYYY [--reason R] [--json]',
  '       ratepayer collections run [--date D] [--json]',
  '       ratepayer collections queue [--json] | collections account ACCOUNT_ID [--json]',
  '       ratepayer collections print-file --date D [--out FILE] | collections notice NOTICE_ID --out FILE.pdf',
  '       ratepayer collections disconnect|reconnect ACCOUNT_ID --reason R [--after-hours] [--waive-fee]',
].join('\n');

const id = (raw: string | undefined, what: string) => idArg(raw, what, USAGE);
const dateOpt = (v: Values) => {
  const d = str(v, 'date');
  if (d !== undefined && !isDate(d)) throw new CliError(`--date must be YYYY-MM-DD, got "${d}"`);
  return d;
};

export const collectionsCommands: Record<string, Command> = {
  collections: {
    options: {
      year: { type: 'string' }, date: { type: 'string' }, out: { type: 'string' }, reason: { type: 'string' }, as: { type: 'string' }, json: { type: 'boolean' },
      'after-hours': { type: 'boolean' }, 'waive-fee': { type: 'boolean' },
    },
    async run(v, [area, sub]) {
      const json = !!v.json;
      if (area === 'schedule') {
        const raw = str(v, 'year');
        if ((sub !== 'show' && sub !== 'generate') || !raw || !/^\d{4}$/.test(raw)) throw new CliError(USAGE);
        const year = Number(raw);
        await withRuntime(async (rt) => {
          const items = sub === 'generate'
            ? (await collections.generateDelinquencySchedule(rt.db, await actorFor(rt.db, v), rt.clock, year, str(v, 'reason') ?? 'Made again from the billing schedule')).entries
            : await collections.delinquencyScheduleOfYear(rt.db, year);
          printResult(json, { year, items }, () => items.length === 0
            ? `No delinquency schedule for ${year}: generate the billing schedule first (ratepayer schedule generate --year ${year})`
            : ['month cycle  due         past due    late fee    notice      disconnect  (out of state)',
              ...items.map((e) => `${String(e.month).padStart(5)} ${String(e.cycle).padStart(5)}  ${e.dueDate}  ${e.pastDueDate}  ${e.lateFeeDate}  ${e.noticeDate}  ${e.disconnectEligibleDate}  ${e.disconnectEligibleOutOfStateDate}`)].join('\n'));
        });
        return;
      }
      await withRuntime(async (rt) => {
        const meta = { utilityName: rt.config.utilityName, utilityAddress: rt.config.utilityAddress, utilityPhone: rt.config.utilityPhone, timeZone: rt.config.timeZone };
        switch (area) {
          case 'run': {
            const r = await collections.runCollections(rt.db, await actorFor(rt.db, v), rt.clock, meta, dateOpt(v) ?? rt.clock.today());
            printResult(json, r, () => r.alreadyRun
              ? `The collections run for ${r.date} was made already: nothing done (see ratepayer collections print-file --date ${r.date})`
              : [`Collections run ${r.date}: ${r.accountsReviewed} account(s) reviewed, ${r.actions.length} action(s), ${r.skippedProtected.length} passed over for a protection, ${r.notices} notice(s), ${r.disconnectOrders} disconnect and ${r.reconnectOrders} reconnect order(s), fees ${formatCents(r.feesCents)}`,
                ...r.actions.map((a) => `  ${a.accountNumber}  ${a.action.padEnd(18)} ${a.detail}`),
                ...r.skippedProtected.map((s) => `  ${s.accountNumber}  held at ${s.step}: ${s.protections.map((p) => `${p.kind} (${p.detail})`).join('; ')}`),
                ...r.errors.map((e) => `  account ${e.accountId}: ERROR ${e.message}`)].join('\n'));
            if (r.errors.length) process.exitCode = 1;
            break;
          }
          case 'queue': {
            const items = await collections.workQueue(rt.db, rt.clock, { after: 0, limit: 200 });
            printResult(json, { items }, () => items.length === 0 ? 'No open collections cases' : items.map((q) =>
              `${q.accountNumber}  ${q.customerName.padEnd(28).slice(0, 28)}  ${formatCents(q.collectableCents).padStart(10)}  ${q.nextStep ? `${q.nextStep.label} on ${q.nextStep.on}${q.nextStep.due ? ' (due)' : ''}` : 'end of path'}${q.holds.length ? `  held: ${q.holds.map((h) => h.kind).join(', ')}` : ''}`).join('\n'));
            break;
          }
          case 'account': {
            const p = await collections.accountCollections(rt.db, rt.clock, id(sub, 'ACCOUNT_ID'));
            printResult(json, p, () => [`Account ${p.accountId}: balance ${formatCents(p.balanceCents)}, past due ${formatCents(p.pastDueCents)} (collectable ${formatCents(p.collectableCents)})`,
              p.openCase ? `Open case ${p.openCase.id} since ${p.openCase.openedOn}; last step ${p.openCase.step ?? 'none'}${p.nextStep ? `; next: ${p.nextStep.label} on ${p.nextStep.on}` : ''}` : 'No open case',
              ...p.holds.map((h) => `  held by ${h.kind}: ${h.detail}`), ...p.actions.slice(0, 20).map((a) => `  ${a.runDate} ${a.action}: ${a.detail}`)].join('\n'));
            break;
          }
          case 'print-file': {
            const d = dateOpt(v);
            if (!d) throw new CliError(USAGE);
            const text = await collections.printFileOf(rt.db, d);
            const out = str(v, 'out');
            if (out) fs.writeFileSync(out, text);
            else process.stdout.write(text);
            break;
          }
          case 'notice': {
            const out = str(v, 'out');
            if (!out) throw new CliError(USAGE);
            fs.writeFileSync(out, (await collections.noticePdfOf(rt.db, rt.clock, meta, id(sub, 'NOTICE_ID'))).pdf);
            console.log(`Wrote ${out}`);
            break;
          }
          case 'disconnect': {
            const r = await collections.orderDisconnect(rt.db, await actorFor(rt.db, v), rt.clock, id(sub, 'ACCOUNT_ID'), reasonOf(v));
            printResult(json, r, () => `Disconnect order(s) ${r.orderIds.join(', ')} made (case ${r.caseId})`);
            break;
          }
          case 'reconnect': {
            const r = await collections.requestReconnect(rt.db, await actorFor(rt.db, v), rt.clock, id(sub, 'ACCOUNT_ID'), { afterHours: v['after-hours'] ? true : undefined, waiveFee: !!v['waive-fee'], reason: reasonOf(v) }, rt.config.timeZone);
            printResult(json, r, () => `Reconnect order(s) ${r.orderIds.join(', ')} made; fees ${formatCents(r.feeCents)}${r.afterHours ? ' (after hours)' : ''}`);
            break;
          }
          default:
            throw new CliError(USAGE);
        }
      });
    },
  },
};
