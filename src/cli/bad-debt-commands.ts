/** CLI commands for bad debt: `ratepayer bad-debt run|letters|place|placements|recall|agency-payment|write-off|approve|transfer|agencies ...`. */
import fs from 'node:fs';
import path from 'node:path';
import { badDebt } from '../bad-debt/index.ts';
import type { Runtime } from '../app/runtime.ts';
import { customers } from '../customer/index.ts';
import type { Actor } from '../platform/actor.ts';
import { isDate } from '../platform/dates.ts';
import { formatCents } from '../platform/money.ts';
import type { Command } from './commands.ts';
import { actorFor } from './field-commands.ts';
import { CliError, printResult } from './output.ts';
import { centsOf } from './payment-commands.ts';
import { str, withRuntime, type Values, idArg as id, reasonArg as reasonOf } from './runtime.ts';

const USAGE = `usage: ratepayer bad-debt run [--date D] | bad-debt accounts | bad-debt letters [LETTER_ID --out FILE.pdf]
  bad-debt place --agency CODE [--account ID ...] [--out FILE] | bad-debt placements [--status placed|recalled] [--agency CODE]
  bad-debt candidate ACCOUNT_ID --reason R (place again after a recall)
  bad-debt recall PLACEMENT_ID --why paid|dispute|bankruptcy|deceased|error|other [--note T] | bad-debt recall --file --agency CODE [--out FILE]
  bad-debt agency-payment PLACEMENT_ID --gross 100.00 [--commission 30.00] [--date D] [--reference R] | bad-debt agency-payment --file FILE --agency CODE
  bad-debt write-off ACCOUNT_ID --reason R | bad-debt write-off list [--status S] | bad-debt approve|refuse|cancel WRITE_OFF_ID --reason R
  bad-debt transfer ACCOUNT_ID --to ACCOUNT_ID --reason R
  bad-debt agencies [list] | bad-debt agencies add --code C --name N --commission 30.00 [--vendor V] [--columns a,b,c] [--reason R]
  bad-debt agencies set CODE [--name N] [--commission P] [--vendor V] [--columns a,b,c] [--active true|false] --reason R`;

const dateOf = (v: Values, key = 'date') => {
  const d = str(v, key);
  if (d !== undefined && !isDate(d)) throw new CliError(`--${key} must be a date YYYY-MM-DD, got "${d}"`);
  return d;
};
const percentOf = (raw: string | undefined) => {
  if (raw === undefined) return undefined;
  const p = raw.replace(/%$/, '');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(p)) throw new CliError(`--commission must be a percentage like 30.00, got "${raw}"`);
  return p;
};
const columnsOf = (raw: string | undefined) => (raw === undefined ? undefined : raw.split(',').map((c) => c.trim()).filter(Boolean));

async function accountIdOf(rt: Runtime, raw: string | undefined, what: string): Promise<number> {
  // An id, or an account number (nine digits with the check digit).
  if (raw && /^\d{9}$/.test(raw)) {
    const a = await customers.findAccountByNumber(rt.db, raw);
    if (a) return a.id;
  }
  return id(raw, what);
}

const runText = (r: badDebt.RunResult) => r.alreadyRun
  ? `The bad-debt job for ${r.date} ran already (at ${r.firstRunAt}); nothing was done now.`
  : [
    `Bad-debt job for ${r.date}: ${r.accountsReviewed} final account(s) reviewed, ${r.letters} pre-collection letter(s), ${r.candidates} made placement candidates, ${r.placed} placed, ${r.recalled} recalled, ${r.reinstated} write-off(s) reinstated (${formatCents(r.reinstatedCents)}).`,
    ...r.actions.map((a) => `  ${a.accountNumber} ${a.action}: ${a.detail}`),
    ...r.skipped.map((s) => `  ${s.accountNumber} passed over: ${s.why}`),
  ].join('\n');
const placementText = (p: { id: number; accountId: number; status: string; amountCents: number; placedOn: string; recallReason: string | null; recalledOn: string | null }, extra = '') =>
  `Placement ${p.id} (${p.status}) of account ${p.accountId}${extra}: ${formatCents(p.amountCents)} placed ${p.placedOn}${p.recalledOn ? `, recalled ${p.recalledOn} (${p.recallReason})` : ''}`;
const writeOffText = (w: badDebt.WriteOff) =>
  `Write-off ${w.id} (${w.status}) of account ${w.accountId}: ${formatCents(w.amountCents ?? w.requestedCents)}${w.reinstatedCents ? `, ${formatCents(w.reinstatedCents)} reinstated since` : ''}; asked by ${w.requestedBy}${w.decidedBy ? `, ${w.status} by ${w.decidedBy}` : ''}`;
const agencyText = (a: badDebt.CollectionAgency) => `${a.code.padEnd(10)} ${a.name} (${a.commissionPercent}% commission${a.vendorId ? `, vendor ${a.vendorId}` : ''})${a.active ? '' : ' [inactive]'}: ${a.fileColumns.join(',')}`;

async function agencyIdOf(rt: Runtime, v: Values): Promise<number> {
  const code = str(v, 'agency');
  if (!code) throw new CliError('--agency CODE is required');
  return (await badDebt.agencyByCode(rt.db, code)).id;
}

async function agencies(rt: Runtime, actor: () => Promise<Actor>, v: Values, sub: string | undefined, arg: string | undefined) {
  const json = !!v.json;
  if (sub === undefined || sub === 'list') {
    const items = await badDebt.listAgencies(rt.db);
    printResult(json, { items }, () => items.map(agencyText).join('\n') || 'No collection agencies yet (ratepayer bad-debt agencies add ...).');
  } else if (sub === 'add') {
    const code = str(v, 'code');
    const name = str(v, 'name');
    const commissionPercent = percentOf(str(v, 'commission'));
    if (!code || !name || commissionPercent === undefined) throw new CliError('usage: ratepayer bad-debt agencies add --code C --name N --commission 30.00 [--vendor V] [--columns a,b,c] [--reason R]');
    const a = await badDebt.createAgency(rt.db, await actor(), rt.clock, { code: code.toUpperCase(), name, commissionPercent, vendorId: str(v, 'vendor'), fileColumns: columnsOf(str(v, 'columns')) }, str(v, 'reason') ?? 'Collection agency added');
    printResult(json, a, () => `Added ${agencyText(a)}`);
  } else if (sub === 'set') {
    if (!arg) throw new CliError(USAGE);
    const agency = await badDebt.agencyByCode(rt.db, arg);
    const active = str(v, 'active');
    if (active !== undefined && active !== 'true' && active !== 'false') throw new CliError('--active must be true or false');
    const a = await badDebt.updateAgency(rt.db, await actor(), rt.clock, agency.id, {
      name: str(v, 'name'), commissionPercent: percentOf(str(v, 'commission')), vendorId: str(v, 'vendor'), fileColumns: columnsOf(str(v, 'columns')), active: active === undefined ? undefined : active === 'true',
    }, reasonOf(v));
    printResult(json, a, () => `Changed ${agencyText(a)}`);
  } else throw new CliError(USAGE);
}

export const badDebtCommands: Record<string, Command> = {
  'bad-debt': {
    options: {
      date: { type: 'string' }, agency: { type: 'string' }, account: { type: 'string', multiple: true }, out: { type: 'string' }, status: { type: 'string' }, why: { type: 'string' }, note: { type: 'string' },
      file: { type: 'string' }, gross: { type: 'string' }, commission: { type: 'string' }, reference: { type: 'string' }, to: { type: 'string' }, reason: { type: 'string' },
      code: { type: 'string' }, name: { type: 'string' }, vendor: { type: 'string' }, columns: { type: 'string' }, active: { type: 'string' }, as: { type: 'string' }, json: { type: 'boolean' },
    },
    async run(v, [sub, arg, arg2]) {
      await withRuntime(async (rt) => {
        const json = !!v.json;
        const actor = () => actorFor(rt.db, v);
        switch (sub) {
          case 'run': {
            const r = await badDebt.run(rt.db, await actor(), rt.clock, rt.config, { date: dateOf(v) });
            printResult(json, r, () => runText(r));
            break;
          }
          case 'accounts': {
            const items = await badDebt.finalAccounts(rt.db, rt.clock);
            printResult(json, { items }, () => items.map((a) => `${a.accountNumber} ${a.customerName.padEnd(26).slice(0, 26)} ${formatCents(a.balanceCents).padStart(11)}  final bill ${a.finalBillDate}, due ${a.finalDueDate}; `
              + `${a.placement ? `placed with ${a.placement.agencyCode} ${a.placement.placedOn}` : a.candidate ? `candidate since ${a.candidate.since}` : a.letter ? `letter ${a.letter.letterDate}` : 'no letter yet'}; next: ${a.next.action === 'wait' || a.next.action === 'skip' ? a.next.why : a.next.action}`).join('\n') || 'No final accounts owing money.');
            break;
          }
          case 'letters': {
            if (arg) {
              const out = str(v, 'out');
              if (!out) throw new CliError('--out FILE.pdf is required to save a letter');
              const l = await badDebt.letterPdf(rt.db, id(arg, 'LETTER_ID'));
              fs.writeFileSync(out, l.pdf);
              printResult(json, { letterId: Number(arg), file: path.resolve(out), bytes: l.pdf.length }, () => `Wrote pre-collection letter ${arg} to ${out} (${l.pdf.length} bytes).`);
              break;
            }
            const page = await badDebt.listLetters(rt.db, { after: 0, limit: 200 });
            printResult(json, page, () => page.items.map((l) => `${String(l.id).padStart(6)} ${l.letterDate} ${l.accountNumber} ${l.customerName.padEnd(26).slice(0, 26)} ${formatCents(l.balanceCents).padStart(11)}  may be placed from ${l.placeAfter}`).join('\n') || 'No pre-collection letters yet.');
            break;
          }
          case 'place': {
            const accounts = (v.account as unknown as string[] | undefined) ?? [];
            const accountIds = accounts.length ? await Promise.all(accounts.map((a) => accountIdOf(rt, a, '--account'))) : undefined;
            const r = await badDebt.makePlacementFile(rt.db, await actor(), rt.clock, { agencyId: await agencyIdOf(rt, v), accountIds });
            const out = str(v, 'out');
            if (r.file && out) fs.writeFileSync(out, r.file.body);
            printResult(json, { ...r, file: r.file ? { ...r.file, body: out ? undefined : r.file.body } : null }, () => [
              r.file ? `Placement file ${r.file.id} (${r.file.fileName}): ${r.file.placements} account(s), ${formatCents(r.file.totalCents)}${out ? `, written to ${out}` : `\n${r.file.body}`}` : 'No placement candidates to place: no file was made.',
              ...r.skipped.map((s) => `  ${s.accountNumber} left out: ${s.why}`),
            ].join('\n'));
            break;
          }
          case 'placements': {
            const status = str(v, 'status');
            if (status !== undefined && status !== 'placed' && status !== 'recalled') throw new CliError('--status must be placed or recalled');
            const page = await badDebt.listPlacements(rt.db, { status, agencyId: str(v, 'agency') ? await agencyIdOf(rt, v) : undefined, after: 0, limit: 200 });
            printResult(json, page, () => page.items.map((p) => `${placementText(p, ` ${p.accountNumber} with ${p.agencyCode}`)}; collected ${formatCents(p.collectedCents)}`).join('\n') || 'No placements.');
            break;
          }
          case 'candidate': {
            const c = await badDebt.placeAgain(rt.db, await actor(), rt.clock, await accountIdOf(rt, arg, 'ACCOUNT_ID'), reasonOf(v));
            printResult(json, c, () => `Account ${c.accountId} is a placement candidate again (since ${c.since}).`);
            break;
          }
          case 'recall': {
            if (arg === undefined && str(v, 'agency')) {
              const f = await badDebt.makeRecallFile(rt.db, await actor(), rt.clock, await agencyIdOf(rt, v));
              const out = str(v, 'out');
              if (f && out) fs.writeFileSync(out, f.body);
              printResult(json, f ? { ...f, body: out ? undefined : f.body } : { file: null }, () => (f ? `Recall file ${f.id} (${f.fileName}): ${f.recalls} recall(s)${out ? `, written to ${out}` : `\n${f.body}`}` : 'No recalls waiting to be sent.'));
              break;
            }
            const why = str(v, 'why') as badDebt.RecallReason | undefined;
            if (!why || !badDebt.recallReasons.includes(why)) throw new CliError(`--why must be one of ${badDebt.recallReasons.join(', ')}`);
            const p = await badDebt.recall(rt.db, await actor(), rt.clock, id(arg, 'PLACEMENT_ID'), { reason: why, note: str(v, 'note') ?? null });
            printResult(json, p, () => placementText(p));
            break;
          }
          case 'agency-payment': {
            const file = str(v, 'file');
            if (file) {
              if (!fs.existsSync(file)) throw new CliError(`no file ${file}`);
              const r = await badDebt.importRemittance(rt.db, await actor(), rt.clock, { agencyId: await agencyIdOf(rt, v), fileName: path.basename(file), bytes: fs.readFileSync(file) });
              printResult(json, r, () => (r.duplicate ? `${r.fileName} was posted before (remittance ${r.remittanceId}); nothing was posted now.` : `Remittance ${r.remittanceId} (${r.fileName}): ${r.records} collection(s), ${formatCents(r.grossCents)} collected, ${formatCents(r.commissionCents)} commission, ${formatCents(r.netCents)} posted in payment batch ${r.batchId ?? '(none)'}.`));
              break;
            }
            const c = await badDebt.recordCollection(rt.db, await actor(), rt.clock, {
              placementId: id(arg, 'PLACEMENT_ID'), grossCents: centsOf(str(v, 'gross'), 'gross'), commissionCents: str(v, 'commission') === undefined ? undefined : centsOf(str(v, 'commission'), 'commission'),
              collectedOn: dateOf(v) ?? rt.clock.today(), reference: str(v, 'reference') ?? null,
            });
            printResult(json, c, () => `Collection ${c.id} on placement ${c.placementId}: ${formatCents(c.grossCents)} collected, ${formatCents(c.commissionCents)} commission written off, ${formatCents(c.netCents)} posted as payment ${c.paymentId ?? '(none)'}.`);
            break;
          }
          case 'write-off': {
            if (arg === 'list') {
              const status = str(v, 'status') as badDebt.WriteOffStatus | undefined;
              const r = await badDebt.listWriteOffs(rt.db, { status, after: 0, limit: 200 });
              printResult(json, r, () => [...r.items.map((w) => `${writeOffText(w)} (${w.accountNumber} ${w.customerName})`), `Written off ${formatCents(r.totals.writtenOffCents)} in ${r.totals.writeOffs}, reinstated ${formatCents(r.totals.reinstatedCents)}, agency commission ${formatCents(r.totals.agencyCommissionCents)}.`].join('\n'));
              break;
            }
            const w = await badDebt.requestWriteOff(rt.db, await actor(), rt.clock, await accountIdOf(rt, arg, 'ACCOUNT_ID'), reasonOf(v));
            printResult(json, w, () => `${writeOffText(w)}. A supervisor other than you approves it: ratepayer bad-debt approve ${w.id} --reason R`);
            break;
          }
          case 'approve':
          case 'refuse':
          case 'cancel': {
            const w = sub === 'approve'
              ? await badDebt.approveWriteOff(rt.db, await actor(), rt.clock, id(arg, 'WRITE_OFF_ID'), reasonOf(v))
              : await badDebt.decideAgainst(rt.db, await actor(), rt.clock, id(arg, 'WRITE_OFF_ID'), sub === 'refuse' ? 'refused' : 'cancelled', reasonOf(v));
            printResult(json, w, () => writeOffText(w));
            break;
          }
          case 'transfer': {
            const t = await badDebt.transferBalance(rt.db, await actor(), rt.clock, await accountIdOf(rt, arg, 'ACCOUNT_ID'), { toAccountId: await accountIdOf(rt, str(v, 'to'), '--to'), reason: reasonOf(v) });
            printResult(json, t, () => `Transfer ${t.transferKey}: ${formatCents(t.amountCents)} moved from account ${t.fromAccountId} to account ${t.toAccountId}${t.recalledPlacementId ? ` (placement ${t.recalledPlacementId} recalled first)` : ''}.`);
            break;
          }
          case 'agencies':
            await agencies(rt, actor, v, arg, arg2);
            break;
          default:
            throw new CliError(USAGE);
        }
      });
    },
  },
};
