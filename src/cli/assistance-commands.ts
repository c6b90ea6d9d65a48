/** CLI commands for energy assistance: `assistance agency|program|pledge|check|import|review|report`. */
import fs from 'node:fs';
import path from 'node:path';
import { assistance } from '../assistance/index.ts';
import { isDate } from '../platform/dates.ts';
import { formatCents } from '../platform/money.ts';
import type { Command } from './commands.ts';
import { actorFor } from './field-commands.ts';
import { CliError, printResult } from './output.ts';
import { centsOf } from './payment-commands.ts';
import { str, withRuntime, type Values, idArg as id, reasonArg as reasonOf } from './runtime.ts';

const USAGE = [
  'usage: ratepayer assistance agency add --code C --name N [--contact N] [--phone P] [--email E] [--address A] | agency list',
  '       ratepayer assistance program add --agency CODE --code C --name N [--year Y] [--from D --to D] [--not-low-income] | program list [--agency CODE]',
  '       ratepayer assistance pledge add ACCOUNT_ID --program CODE [--agency CODE] --amount 123.45 [--pledged D] [--expires D] [--reference R] --reason R',
  '       ratepayer assistance pledge list [--status open,partial,...] [--flagged] [--account ID] | pledge cancel PLEDGE_ID --reason R',
  '       ratepayer assistance check --agency CODE --check N --date D --total 123.45 --item ACCOUNT_NUMBER=12.34[@PLEDGE_ID] ...',
  '       ratepayer assistance import FILE [--agency CODE] | assistance review | assistance report [--from D] [--to D] [--csv] [--out FILE]',
].join('\n');
const STATUSES = ['open', 'partial', 'paid', 'expired', 'cancelled'] as const;

const required = (v: Values, key: string) => {
  const value = str(v, key);
  if (!value?.trim()) throw new CliError(`--${key} is required\n${USAGE}`);
  return value.trim();
};
const date = (v: Values, key: string) => {
  const d = str(v, key);
  if (d === undefined) return undefined;
  if (!isDate(d)) throw new CliError(`--${key} must be a date YYYY-MM-DD, got "${d}"`);
  return d;
};
const agencyByCode = async (db: Parameters<typeof assistance.listAgencies>[0], raw: string) => {
  const found = (await assistance.listAgencies(db)).find((a) => a.code === raw.trim().toUpperCase());
  if (!found) throw new CliError(`--agency: there is no agency ${raw}`);
  return found;
};
const pledgeLine = (p: assistance.Pledge) =>
  `${String(p.id).padStart(6)} ${p.accountNumber} ${p.customerName.padEnd(24).slice(0, 24)} ${`${p.agencyCode} ${p.programCode}`.padEnd(16)} ${p.status.padEnd(9)}`
  + ` ${formatCents(p.amountCents).padStart(11)} received ${formatCents(p.receivedCents).padStart(11)} expires ${p.expiresOn}${p.flag ? `  [${p.flag.toUpperCase()}]` : ''}${p.holdsCollection ? '  holds collection' : ''}`;

export const assistanceCommands: Record<string, Command> = {
  assistance: {
    options: {
      code: { type: 'string' }, name: { type: 'string' }, contact: { type: 'string' }, phone: { type: 'string' }, email: { type: 'string' }, address: { type: 'string' },
      agency: { type: 'string' }, year: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, 'not-low-income': { type: 'boolean' },
      program: { type: 'string' }, amount: { type: 'string' }, pledged: { type: 'string' }, expires: { type: 'string' }, reference: { type: 'string' }, reason: { type: 'string' },
      status: { type: 'string' }, flagged: { type: 'boolean' }, account: { type: 'string' },
      check: { type: 'string' }, date: { type: 'string' }, total: { type: 'string' }, item: { type: 'string', multiple: true },
      csv: { type: 'boolean' }, out: { type: 'string' }, as: { type: 'string' }, json: { type: 'boolean' },
    },
    async run(v, [sub, action, arg]) {
      await withRuntime(async (rt) => {
        const json = !!v.json;
        const { db, clock } = rt;
        switch (`${sub} ${['agency', 'program', 'pledge'].includes(sub ?? '') ? action : ''}`.trim()) {
          case 'agency add': {
            const a = await assistance.createAgency(db, await actorFor(db, v), clock, { code: required(v, 'code'), name: required(v, 'name'), contactName: str(v, 'contact'), phone: str(v, 'phone'), email: str(v, 'email'), address: str(v, 'address') }, str(v, 'reason'));
            printResult(json, a, () => `Agency ${a.code} (${a.name}) added, id ${a.id}.`);
            break;
          }
          case 'agency list': {
            const items = await assistance.listAgencies(db);
            printResult(json, { items }, () => items.map((a) => `${String(a.id).padStart(4)} ${a.code.padEnd(10)} ${a.name}${a.active ? '' : ' (inactive)'}${a.phone ? `  ${a.phone}` : ''}`).join('\n') || 'No agencies.');
            break;
          }
          case 'program add': {
            const agency = await agencyByCode(db, required(v, 'agency'));
            const year = str(v, 'year');
            if (year !== undefined && !/^\d{4}$/.test(year)) throw new CliError(`--year must be a year like 2027, got "${year}"`);
            const p = await assistance.createProgram(db, await actorFor(db, v), clock, {
              agencyId: agency.id, code: required(v, 'code'), name: required(v, 'name'), lowIncome: !v['not-low-income'], fundingYear: year ? Number(year) : null, seasonFrom: date(v, 'from') ?? null, seasonTo: date(v, 'to') ?? null,
            }, str(v, 'reason'));
            printResult(json, p, () => `Program ${agency.code} ${p.code} (${p.name}) added, id ${p.id}${p.lowIncome ? '; low-income energy assistance' : ''}.`);
            break;
          }
          case 'program list': {
            const agency = str(v, 'agency') ? await agencyByCode(db, str(v, 'agency')!) : undefined;
            const items = await assistance.listPrograms(db, agency?.id);
            printResult(json, { items }, () => items.map((p) => `${String(p.id).padStart(4)} ${p.agencyCode.padEnd(10)} ${p.code.padEnd(10)} ${p.name}${p.fundingYear ? ` (FY ${p.fundingYear})` : ''}${p.active ? '' : ' (inactive)'}`).join('\n') || 'No programs.');
            break;
          }
          case 'pledge add': {
            const program = await assistance.findProgram(db, required(v, 'program'), str(v, 'agency'));
            const p = await assistance.recordPledge(db, await actorFor(db, v), clock, {
              accountId: id(arg, 'ACCOUNT_ID'), programId: program.id, amountCents: centsOf(str(v, 'amount'), 'amount'), pledgedOn: date(v, 'pledged'), expiresOn: date(v, 'expires'), reference: str(v, 'reference'),
            }, reasonOf(v));
            printResult(json, p, () => `Pledge ${p.id} recorded: ${p.agencyCode} ${p.programCode} ${formatCents(p.amountCents)} on account ${p.accountNumber}, ${p.pledgedOn} to ${p.expiresOn}; it holds collection until then.`);
            break;
          }
          case 'pledge list': {
            const status = str(v, 'status')?.split(',').map((s) => s.trim());
            const bad = status?.find((s) => !(STATUSES as readonly string[]).includes(s));
            if (bad !== undefined) throw new CliError(`--status must be some of ${STATUSES.join(', ')}, got "${bad}"`);
            const page = await assistance.listPledges(db, clock, { status: status as assistance.PledgeStatus[] | undefined, flagged: !!v.flagged, accountId: str(v, 'account') ? id(str(v, 'account'), '--account') : undefined, after: 0, limit: 200 });
            printResult(json, page, () => page.items.map(pledgeLine).join('\n') || 'No pledges.');
            break;
          }
          case 'pledge cancel': {
            const p = await assistance.cancelPledge(db, await actorFor(db, v), clock, id(arg, 'PLEDGE_ID'), reasonOf(v));
            printResult(json, p, () => `Pledge ${p.id} cancelled; ${formatCents(p.receivedCents)} had been received against it.`);
            break;
          }
          case 'check': {
            const agency = await agencyByCode(db, required(v, 'agency'));
            const raw = (v.item as unknown as string[] | undefined) ?? [];
            if (raw.length === 0) throw new CliError('--item ACCOUNT_NUMBER=12.34[@PLEDGE_ID] is required, once per account the check pays');
            const items = raw.map((text) => {
              const m = /^([^=@]+)=([^@]+)(?:@(\d+))?$/.exec(text.trim());
              if (!m) throw new CliError(`--item must be ACCOUNT_NUMBER=12.34 or ACCOUNT_NUMBER=12.34@PLEDGE_ID, got "${text}"`);
              return { accountNumber: m[1]!.trim(), amountCents: centsOf(m[2]!.trim(), 'item'), ...(m[3] ? { pledgeId: Number(m[3]) } : {}) };
            });
            const r = await assistance.postAgencyCheck(db, await actorFor(db, v), clock, { agencyId: agency.id, checkNumber: required(v, 'check'), receivedOn: date(v, 'date') ?? clock.today(), totalCents: centsOf(str(v, 'total'), 'total'), items });
            printResult(json, r, () => [
              `${r.replayed ? 'Posted before: ' : ''}Agency payment ${r.id}: ${agency.code} check ${r.checkNumber} of ${r.receivedOn}, ${formatCents(r.totalCents)} in batch ${r.batchId}; ${r.applied} applied, ${r.suspense} in suspense`,
              ...r.items.map((i) => `  ${String(i.itemNo).padStart(3)} ${(i.accountRef ?? '?').padEnd(12)} ${formatCents(i.amountCents).padStart(11)} ${i.status.padEnd(8)} ${i.pledgeId ? `pledge ${i.pledgeId} now ${i.pledgeStatus}` : 'no pledge'}`),
            ].join('\n'));
            break;
          }
          case 'import': {
            const file = action;
            if (!file) throw new CliError(USAGE);
            let bytes: Buffer;
            try {
              bytes = fs.readFileSync(file);
            } catch (e) {
              throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
            }
            const r = await assistance.importAgencyFile(db, await actorFor(db, v), clock, path.basename(file), bytes, { agencyCode: str(v, 'agency') });
            printResult(json, r, () => r.duplicate
              ? `${path.basename(file)} was imported before (import ${r.importId}): nothing posted now.`
              : `Import ${r.importId}: ${r.records} records, ${r.applied} applied, ${r.suspense} in suspense; ${formatCents(r.totalCents)}${r.suspense ? `\n${r.detail.suspenseItems.map((s) => `  line ${s.line}: account ${s.accountRef ?? '-'} pledge ${s.pledgeRef ?? '-'} ${formatCents(s.amountCents)} (payment ${s.paymentId})`).join('\n')}` : ''}`);
            break;
          }
          case 'review': {
            const r = await assistance.review(db, await actorFor(db, v), clock);
            printResult(json, r, () => `Energy-assistance review for ${r.date}: ${r.expired} pledge(s) expired (${r.short} short), ${r.matched} agency payment(s) matched from suspense`
              + (r.expired + r.matched === 0 ? '; nothing was due.' : `\n${r.pledges.map((p) => `  pledge ${p.pledgeId} account ${p.accountId}: ${p.flag.toUpperCase()}, ${formatCents(p.receivedCents)} of ${formatCents(p.amountCents)}`).join('\n')}`));
            break;
          }
          case 'report': {
            const r = await assistance.report(db, { from: date(v, 'from'), to: date(v, 'to') });
            const out = str(v, 'out');
            if (v.csv || out) {
              const csv = assistance.reportCsv(r);
              if (out) {
                fs.writeFileSync(out, csv);
                printResult(json, { out, bytes: Buffer.byteLength(csv) }, () => `Report written to ${out}`);
              } else process.stdout.write(csv);
              break;
            }
            const line = (label: string, x: assistance.ReportRow) => `${label.padEnd(34).slice(0, 34)} ${String(x.pledgedCount).padStart(5)} ${formatCents(x.pledgedCents).padStart(13)} ${formatCents(x.receivedCents).padStart(13)} ${formatCents(x.outstandingCents).padStart(13)} ${String(x.expiredCount).padStart(5)} ${formatCents(x.expiredCents).padStart(12)} ${String(x.shortCount).padStart(5)}`;
            printResult(json, r, () => [
              `Energy assistance by agency and program, pledged ${r.from ?? 'from the start'} to ${r.to ?? 'today'}`,
              `${'Agency / program'.padEnd(34)} ${'count'.padStart(5)} ${'pledged'.padStart(13)} ${'received'.padStart(13)} ${'outstanding'.padStart(13)} ${'exp.'.padStart(5)} ${'exp. unpaid'.padStart(12)} ${'short'.padStart(5)}`,
              ...r.agencies.flatMap((a) => [...r.programs.filter((p) => p.agencyId === a.agencyId).map((p) => line(`${a.agencyCode} ${p.programCode}`, p)), line(`${a.agencyCode} all programs`, a)]),
              line('All agencies', r.total),
            ].join('\n'));
            break;
          }
          default:
            throw new CliError(USAGE);
        }
      });
    },
  },
};
