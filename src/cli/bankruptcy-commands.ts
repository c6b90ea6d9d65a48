/** CLI commands for bankruptcy cases: `ratepayer bankruptcy open|show|list|discharge|dismiss|close|waive-assurance ...`. */
import { bankruptcy, type BankruptcyCase } from '../bankruptcy/index.ts';
import { isDate } from '../platform/dates.ts';
import { formatCents } from '../platform/money.ts';
import type { Command } from './commands.ts';
import { actorFor } from './field-commands.ts';
import { CliError, printResult } from './output.ts';
import { centsOf } from './payment-commands.ts';
import { str, withRuntime, type Values, idArg as id, reasonArg as reasonOf } from './runtime.ts';

const USAGE = 'usage: ratepayer bankruptcy open CUSTOMER_ID --chapter 7|11|12|13 --petition D --court C --case-number N [--accounts ID,ID] [--debtor NAME] [--attorney NAME | --trustee NAME] [--phone P] [--email E] [--notice-date D] [--assurance 150.00 | --waive-assurance REASON] --reason R'
  + ' | bankruptcy show CASE_ID | bankruptcy list [--status S] [--overdue] | bankruptcy discharge|dismiss|close CASE_ID [--date D] --reason R | bankruptcy waive-assurance CASE_ID [--account ID] --reason R';

const dateOf = (v: Values, key: string, required = false) => {
  const d = str(v, key);
  if (d === undefined && !required) return undefined;
  if (!d || !isDate(d)) throw new CliError(`--${key} must be a date YYYY-MM-DD${d ? `, got "${d}"` : ''}`);
  return d;
};

const assuranceWords: Record<string, string> = { not_asked: 'not asked', due: 'deposit due', overdue: 'deposit OVERDUE', paid: 'deposit paid', waived: 'waived', ended: 'deposit ended' };

/** A case in lines: the case, then each account's split and assurance. */
export function caseText(c: BankruptcyCase): string {
  const lines = [`Bankruptcy case ${c.id} (${c.status}${c.closedOn ? ` ${c.closedOn}` : ''}): chapter ${c.chapter}, ${c.caseNumber}, ${c.court}; ${c.debtorName}, petition ${c.petitionDate}; assurance due ${c.assuranceDueOn}`];
  for (const a of c.accounts) {
    const split = a.split
      ? `pre-petition ${formatCents(a.split.prePetitionCents)} (held ${formatCents(a.split.heldCents)}), post-petition ${formatCents(a.split.postPetitionCents)}`
      : `pre-petition at filing ${formatCents(a.filed.prePetitionCents)}${a.dischargedCents !== null ? `, ${formatCents(a.dischargedCents)} written off at discharge` : ''}`;
    lines.push(`  account ${a.accountNumber}: ${split}; assurance ${assuranceWords[a.assurance.state] ?? a.assurance.state}${a.assurance.depositId ? ` (deposit ${a.assurance.depositId}, ${formatCents(a.assurance.amountCents ?? 0)})` : ''}`);
    if (a.split) lines.push(`    ${a.split.derivation}`);
  }
  return lines.join('\n');
}

export const bankruptcyCommands: Record<string, Command> = {
  bankruptcy: {
    options: {
      chapter: { type: 'string' }, petition: { type: 'string' }, court: { type: 'string' }, 'case-number': { type: 'string' }, accounts: { type: 'string' }, debtor: { type: 'string' },
      attorney: { type: 'string' }, trustee: { type: 'string' }, phone: { type: 'string' }, email: { type: 'string' }, 'notice-date': { type: 'string' }, assurance: { type: 'string' },
      'waive-assurance': { type: 'string' }, status: { type: 'string' }, overdue: { type: 'boolean' }, date: { type: 'string' }, account: { type: 'string' }, reason: { type: 'string' },
      as: { type: 'string' }, json: { type: 'boolean' },
    },
    async run(v, [sub, arg]) {
      await withRuntime(async (rt) => {
        const json = !!v.json;
        switch (sub) {
          case 'open': {
            const chapter = Number(str(v, 'chapter'));
            if (![7, 11, 12, 13].includes(chapter)) throw new CliError(`--chapter must be 7, 11, 12 or 13${str(v, 'chapter') ? `, got "${str(v, 'chapter')}"` : ''}`);
            if (str(v, 'attorney') && str(v, 'trustee')) throw new CliError('give --attorney or --trustee, not both');
            const accounts = str(v, 'accounts')?.split(',').map((x) => id(x.trim(), '--accounts'));
            const c = await bankruptcy.openCase(rt.db, await actorFor(rt.db, v), rt.clock, {
              customerId: id(arg, 'CUSTOMER_ID'), accountIds: accounts, chapter, petitionDate: dateOf(v, 'petition', true)!, court: str(v, 'court') ?? '', caseNumber: str(v, 'case-number') ?? '',
              debtorName: str(v, 'debtor'), contact: { kind: str(v, 'trustee') ? 'trustee' : 'attorney', name: str(v, 'trustee') ?? str(v, 'attorney') ?? null, phone: str(v, 'phone') ?? null, email: str(v, 'email') ?? null },
              noticeReceivedOn: dateOf(v, 'notice-date'), assuranceCents: str(v, 'assurance') ? centsOf(str(v, 'assurance'), 'assurance') : undefined, waiveAssurance: str(v, 'waive-assurance'), reason: reasonOf(v),
            });
            printResult(json, c, () => caseText(c));
            break;
          }
          case 'show': {
            const c = await bankruptcy.getCase(rt.db, rt.clock, id(arg, 'CASE_ID'));
            printResult(json, c, () => caseText(c));
            break;
          }
          case 'list': {
            const status = str(v, 'status') as bankruptcy.CaseStatus | undefined;
            if (status && !['open', 'discharged', 'dismissed', 'closed'].includes(status)) throw new CliError(`--status must be open, discharged, dismissed or closed, got "${status}"`);
            const page = await bankruptcy.listCases(rt.db, rt.clock, { status, assurance: v.overdue ? 'overdue' : undefined, after: 0, limit: 200 });
            printResult(json, page, () => page.items.map((c) => `${String(c.id).padStart(5)} ${c.status.padEnd(10)} ch.${String(c.chapter).padEnd(3)} ${c.caseNumber.padEnd(16)} ${c.petitionDate} ${c.customerName.padEnd(26).slice(0, 26)} held ${formatCents(c.heldCents).padStart(10)}${c.assuranceOverdue ? '  assurance OVERDUE' : ''}`).join('\n')
              || (v.overdue ? 'No case has an assurance deposit unpaid past its due date.' : 'No bankruptcy cases.'));
            break;
          }
          case 'discharge': {
            const c = await bankruptcy.dischargeCase(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'CASE_ID'), { on: dateOf(v, 'date'), reason: reasonOf(v) });
            printResult(json, c, () => `${caseText(c)}\nDischarged: ${formatCents(c.accounts.reduce((n, a) => n + (a.dischargedCents ?? 0), 0))} of pre-petition debt written off.`);
            break;
          }
          case 'dismiss':
          case 'close': {
            const c = await bankruptcy.endCase(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'CASE_ID'), sub === 'dismiss' ? 'dismissed' : 'closed', { on: dateOf(v, 'date'), reason: reasonOf(v) });
            printResult(json, c, () => `${caseText(c)}\nThe stay has ended: collection of all the debt resumes.`);
            break;
          }
          case 'waive-assurance': {
            const c = await bankruptcy.waiveAssurance(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'CASE_ID'), { accountId: str(v, 'account') ? id(str(v, 'account'), '--account') : undefined, reason: reasonOf(v) });
            printResult(json, c, () => caseText(c));
            break;
          }
          default:
            throw new CliError(USAGE);
        }
      });
    },
  },
};
