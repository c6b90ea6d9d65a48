/** CLI commands for rates and billing: `tariff`, `quote`, `schedule`, `bill`. */
import fs from 'node:fs';
import { billing, billPdf, runBilling, runPrintFile, type RunSummary } from '../billing/index.ts';
import { isDate } from '../platform/dates.ts';
import { formatCents } from '../platform/money.ts';
import { tariffs, TariffVersionSchema, type RatingResult } from '../tariff/index.ts';
import type { Command } from './commands.ts';
import { actorFor } from './field-commands.ts';
import { str, withRuntime, type Values } from './runtime.ts';
import { CliError, printResult, progressBar } from './output.ts';

const json = { type: 'boolean' } as const;

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file} is not JSON: ${(e as Error).message}`);
  }
}

const date = (v: Values, key: string) => {
  const d = str(v, key);
  if (!d || !isDate(d)) throw new CliError(`--${key} must be a date YYYY-MM-DD${d ? `, got "${d}"` : ''}`);
  return d;
};
const decimal = (raw: string | undefined, key: string) => {
  if (raw === undefined) return undefined;
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(raw)) throw new CliError(`--${key} must be a number like 1234 or 12.5, got "${raw}"`);
  return raw;
};
const int = (raw: string | undefined, key: string) => {
  if (raw === undefined || !/^\d{1,4}$/.test(raw)) throw new CliError(`--${key} must be a whole number${raw ? `, got "${raw}"` : ''}`);
  return Number(raw);
};


function linesText(result: RatingResult): string {
  const rows = result.lines.map((l) => `  ${l.code.padEnd(10)} ${l.description.padEnd(34).slice(0, 34)} ${`${l.quantity} ${l.unit}`.padStart(16)} x ${l.unitPrice.padEnd(9)} ${formatCents(l.amountCents).padStart(11)}`);
  return [...rows, `  ${'Total'.padEnd(75)} ${formatCents(result.totalCents).padStart(11)}`].join('\n');
}

function runText(s: RunSummary): string {
  if (s.alreadyCompleted) return `Run ${s.runId} (cycle ${s.cycle}, read date ${s.readDate}) was completed before: nothing done. ${s.bills.posted} posted, ${s.bills.held} held.`;
  const skipped = Object.entries(s.skipped).map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`).join(', ');
  return [
    `Run ${s.runId}: cycle ${s.cycle}, read date ${s.readDate}, bill date ${s.billDate}, due ${s.dueDate}`,
    `  ${s.selected} agreements: ${s.posted} posted, ${s.held} held for review${skipped ? `, skipped: ${skipped}` : ''}; ${s.estimatedReads} reads estimated`,
    `  Whole run: ${s.bills.posted} bills posted for ${formatCents(s.bills.postedCents)} (tax ${formatCents(s.bills.taxCents)}); ${s.bills.held} held for ${formatCents(s.bills.heldCents)}`,
    `  Control totals: lines ${formatCents(s.control.lineCents)} = bills ${formatCents(s.control.billCents)} = ledger ${formatCents(s.control.ledgerCents)}: ${s.control.tied ? 'tied' : 'NOT TIED'}`,
  ].join('\n');
}

export const billingCommands: Record<string, Command> = {
  tariff: {
    options: { reason: { type: 'string' }, as: { type: 'string' }, json },
    async run(v, [sub, arg]) {
      if (sub === 'schema') {
        process.stdout.write(`${JSON.stringify(TariffVersionSchema, null, 2)}\n`);
        return;
      }
      await withRuntime(async (rt) => {
        if (sub === 'load' && arg) {
          const result = await tariffs.loadTariff(rt.db, await actorFor(rt.db, v), rt.clock, readJson(arg), str(v, 'reason') ?? `Tariff file ${arg} loaded`);
          const { tariff: _t, ...version } = result.version;
          printResult(!!v.json, { ...result, version }, () => result.unchanged
            ? `${version.code} v${version.version} (from ${version.effectiveFrom}) is already loaded with this content: nothing changed.`
            : `${version.code} v${version.version} loaded, in force from ${version.effectiveFrom}${result.superseded ? ` (replaces v${result.superseded})` : ''}.`);
        } else if (sub === 'list') {
          const items = (await tariffs.listTariffs(rt.db)).map(({ tariff: _t, ...rest }) => rest);
          printResult(!!v.json, { tariffs: items }, () => items.length === 0 ? 'No tariffs loaded.' : items.map((t) => `${t.code.padEnd(10)} v${String(t.version).padEnd(3)} ${t.service.padEnd(8)} from ${t.effectiveFrom}  ${t.name}`).join('\n'));
        } else if (sub === 'show' && arg) {
          const history = await tariffs.tariffHistory(rt.db, arg);
          printResult(!!v.json, { versions: history }, () => history.map((t) => `${t.code} v${t.version}${t.superseded ? ' (superseded)' : ''} from ${t.effectiveFrom}: ${t.name}\n${JSON.stringify(t.tariff, null, 2)}`).join('\n\n'));
        } else {
          throw new CliError('usage: ratepayer tariff load FILE [--reason R] | list | show CODE | schema [--json]');
        }
      });
    },
  },

  quote: {
    options: { tariff: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, usage: { type: 'string' }, demand: { type: 'string' }, tou: { type: 'string' }, 'usage-unit': { type: 'string' }, 'meter-size': { type: 'string' }, partial: { type: 'boolean' }, 'first-bill': { type: 'boolean' }, json },
    async run(v) {
      const which = str(v, 'tariff');
      if (!which) throw new CliError('usage: ratepayer quote --tariff FILE|CODE --from DATE --to DATE --usage N [--demand KW] [--tou NAME=N,...] [--json]');
      const tou = str(v, 'tou')?.split(',').reduce<Record<string, string>>((acc, pair) => {
        const [name, n] = pair.split('=');
        if (!name || !n) throw new CliError(`--tou takes NAME=N pairs separated by commas, got "${pair}"`);
        acc[name.trim()] = decimal(n.trim(), 'tou')!;
        return acc;
      }, {});
      const input = {
        periodFrom: date(v, 'from'), periodTo: date(v, 'to'), usage: decimal(str(v, 'usage'), 'usage'), demandKw: decimal(str(v, 'demand'), 'demand'), tou,
        usageUnit: str(v, 'usage-unit') as 'kWh' | 'gal' | 'cf' | 'ccf' | undefined, meterSize: str(v, 'meter-size'), partial: !!v.partial, firstBill: !!v['first-bill'],
      };
      const isFile = fs.existsSync(which) && fs.statSync(which).isFile();
      const result = await withRuntime((rt) => tariffs.quote(rt.db, isFile ? { ...input, tariff: readJson(which) } : { ...input, code: which }));
      const { tariff: _t, ...out } = result;
      printResult(!!v.json, out, () => `${result.tariff}, ${input.periodFrom} to ${input.periodTo}\n${linesText(result)}`);
    },
  },

  schedule: {
    options: { year: { type: 'string' }, cycles: { type: 'string' }, reason: { type: 'string' }, as: { type: 'string' }, json },
    async run(v, [sub]) {
      const year = int(str(v, 'year'), 'year');
      await withRuntime(async (rt) => {
        if (sub === 'generate') {
          const cycles = str(v, 'cycles') === undefined ? undefined : int(str(v, 'cycles'), 'cycles');
          const result = await billing.generateYear(rt.db, await actorFor(rt.db, v), rt.clock, { year, cycles }, str(v, 'reason') ?? `Billing schedule for ${year}`);
          printResult(!!v.json, result, () => `${year}: ${result.generated} schedule entries generated${result.kept ? `, ${result.kept} already billed kept` : ''}.`);
        } else if (sub === 'show') {
          const items = await billing.scheduleOfYear(rt.db, year);
          printResult(!!v.json, { entries: items }, () => items.length === 0 ? `No schedule for ${year}.` : ['month cycle read       bill       due        run', ...items.map((e) => `${String(e.month).padStart(5)} ${String(e.cycle).padStart(5)} ${e.readDate} ${e.billDate} ${e.dueDate} ${e.runStatus ?? ''}`)].join('\n'));
        } else {
          throw new CliError('usage: ratepayer schedule generate|show --year YYYY [--cycles N] [--json]');
        }
      });
    },
  },

  'tax-exemption': {
    options: { tax: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, certificate: { type: 'string' }, reason: { type: 'string' }, as: { type: 'string' }, json },
    async run(v, [sub, account]) {
      if ((sub !== 'add' && sub !== 'list') || !account) throw new CliError('usage: ratepayer tax-exemption add ACCOUNT_ID --tax CODE --from DATE [--to DATE] [--certificate C] --reason R | list ACCOUNT_ID [--json]');
      const accountId = int(account, 'account id');
      await withRuntime(async (rt) => {
        if (sub === 'list') {
          const items = await billing.taxExemptionsOf(rt.db, accountId);
          printResult(!!v.json, { exemptions: items }, () => items.length === 0 ? 'No tax exemptions.' : items.map((x) => `${x.id}  ${x.taxCode.padEnd(6)} ${x.startsOn} to ${x.endsOn ?? 'open'}  ${x.certificate ?? ''}  ${x.reason}`).join('\n'));
          return;
        }
        const tax = str(v, 'tax');
        const reason = str(v, 'reason');
        if (!tax || !reason) throw new CliError('--tax and --reason are required');
        const to = str(v, 'to');
        const added = await billing.addTaxExemption(rt.db, await actorFor(rt.db, v), rt.clock, { accountId, taxCode: tax, certificate: str(v, 'certificate') ?? null, startsOn: date(v, 'from'), endsOn: to === undefined ? null : date(v, 'to') }, reason);
        printResult(!!v.json, added, () => `Account ${accountId} is exempt from ${added.taxCode} from ${added.startsOn}${added.endsOn ? ` to ${added.endsOn}` : ''} (exemption ${added.id}).`);
      });
    },
  },

  bill: {
    options: { cycle: { type: 'string' }, date: { type: 'string' }, chunk: { type: 'string' }, run: { type: 'string' }, out: { type: 'string' }, as: { type: 'string' }, json },
    async run(v, [sub, arg]) {
      await withRuntime(async (rt) => {
        const actor = await actorFor(rt.db, v);
        if (sub === 'run') {
          const cycle = int(str(v, 'cycle'), 'cycle');
          const bar = v.json ? null : progressBar(`cycle ${cycle}`);
          let total = 0;
          const summary = await runBilling(rt.db, actor, rt.clock, {
            cycle, date: date(v, 'date'), timeZone: rt.config.timeZone,
            chunkSize: str(v, 'chunk') === undefined ? undefined : Math.max(1, int(str(v, 'chunk'), 'chunk')),
            onStarted: (_runId, n) => { total = n; },
            onProgress: (p) => bar?.update(p.done, Math.max(total, p.done)),
          });
          bar?.finish();
          printResult(!!v.json, summary, () => runText(summary));
        } else if (sub === 'show' && arg) {
          const bill = await billing.getBill(rt.db, int(arg, 'bill id'));
          printResult(!!v.json, bill, () => `Bill ${bill.id} (${bill.status}) account ${bill.accountId} ${bill.service} ${bill.periodFrom} to ${bill.periodTo}, due ${bill.dueDate}\n${linesText({ lines: bill.lines, totalCents: bill.totalCents })}${bill.exceptions.map((e) => `\n  ${e.status}: ${e.code}: ${e.message}`).join('')}`);
        } else if (sub === 'pdf' && arg) {
          const out = str(v, 'out') ?? `bill-${arg}.pdf`;
          fs.writeFileSync(out, await billPdf(rt.db, rt.config, int(arg, 'bill id'), rt.clock.now()));
          printResult(!!v.json, { file: out }, () => `Wrote ${out}`);
        } else if (sub === 'print') {
          const runId = int(str(v, 'run'), 'run');
          const out = str(v, 'out') ?? `print-run-${runId}.txt`;
          const file = await runPrintFile(rt.db, rt.config, runId, rt.clock.now());
          fs.writeFileSync(out, file);
          const statements = file.split('\r\n').filter((l) => l.startsWith('S|')).length;
          printResult(!!v.json, { file: out, statements }, () => `Wrote ${out}: ${statements} statements`);
        } else if (sub === 'final' && arg) {
          const bill = await billing.finalBill(rt.db, actor, rt.clock, rt.config.timeZone, int(arg, 'agreement id'));
          printResult(!!v.json, bill, () => `Final bill ${bill.id} (${bill.status}) ${bill.periodFrom} to ${bill.periodTo}: ${formatCents(bill.totalCents)}`);
        } else {
          throw new CliError('usage: ratepayer bill run --cycle N --date D [--json] | show ID | pdf ID [--out FILE] | print --run N [--out FILE] | final AGREEMENT_ID');
        }
      });
    },
  },
};
