/** CLI commands for deceased customers: `ratepayer deceased notify|show|list|estate|claim|file-claim|claim-outcome|transfer|close ...`. */
import { deceased, type CreditorClaim, type DeceasedCase } from '../deceased/index.ts';
import { isDate } from '../platform/dates.ts';
import { formatCents } from '../platform/money.ts';
import type { Command } from './commands.ts';
import { actorFor } from './field-commands.ts';
import { CliError, printResult } from './output.ts';
import { centsOf } from './payment-commands.ts';
import { str, withRuntime, type Values, idArg as id, reasonArg as reasonOf } from './runtime.ts';

const USAGE = 'usage: ratepayer deceased notify CUSTOMER_ID --by NAME [--relationship R] [--date-of-death D] [--notified-on D] [--accounts ID,ID] --reason R'
  + ' | deceased show CASE_ID | deceased list [--status S] [--open] [--claims-due]'
  + ' | deceased estate CASE_ID [--representative NAME] [--rep-address A] [--rep-phone P] [--court C] [--probate-number N] [--published D] [--attorney A] [--date-of-death D] --reason R'
  + ' | deceased claim CASE_ID [--account ID] [--amount 12.34] [--note T] --reason R | deceased file-claim CLAIM_ID [--date D] --reason R'
  + ' | deceased claim-outcome CLAIM_ID --outcome allowed|rejected|paid|written_off [--date D] --reason R'
  + ' | deceased transfer CASE_ID --last-day D (--survivor-customer ID | --survivor-name "FIRST LAST" [--phone P]) [--account ID] --reason R | deceased close CASE_ID --reason R';

const dateOf = (v: Values, key: string, required = false) => {
  const d = str(v, key);
  if (d === undefined && !required) return undefined;
  if (!d || !isDate(d)) throw new CliError(`--${key} must be a date YYYY-MM-DD${d ? `, got "${d}"` : ''}`);
  return d;
};

export const claimText = (k: CreditorClaim) =>
  `Claim ${k.id} (${k.status}) on account ${k.accountNumber}: ${formatCents(k.amountCents)} against the estate of ${k.customerName}; deadline ${k.deadline ?? 'not known (probate notice not yet published)'}${k.filedOn ? `, filed ${k.filedOn}` : ''}${k.dueSoon ? ' -- DUE SOON' : ''}`;

export function caseText(c: DeceasedCase): string {
  const e = c.estate;
  const lines = [
    `Deceased case ${c.id} (${c.status}): ${c.customerName}${c.dateOfDeath ? `, died ${c.dateOfDeath}` : ''}; notified ${c.notifiedOn} by ${c.notifiedBy ?? c.source}${c.relationship ? ` (${c.relationship})` : ''}${c.paymentId ? `, ACH return on payment ${c.paymentId}` : ''}`,
    `  estate: ${e.representativeName ? `personal representative ${e.representativeName}` : 'no personal representative recorded'}${e.probateCourt ? `; ${e.probateCourt}` : ''}${e.probateCaseNumber ? ` no. ${e.probateCaseNumber}` : ''}${e.firstPublicationOn ? `; notice first published ${e.firstPublicationOn}, claims due by ${e.claimDeadline}` : ''}`,
    ...c.accounts.map((a) => `  account ${a.accountNumber} (${a.status}): balance ${formatCents(a.balanceCents)}`),
    ...c.claims.map((k) => `  ${claimText(k)}`),
    ...c.transfers.map((t) => `  service of account ${t.fromAccountId} to ${t.survivorName}, new account ${t.survivorAccountNumber}, after ${t.lastDay}: ${t.orders.map((o) => `${o.number} ${o.type} ${o.status}`).join(', ')}`),
  ];
  return lines.join('\n');
}

export const deceasedCommands: Record<string, Command> = {
  deceased: {
    options: {
      by: { type: 'string' }, relationship: { type: 'string' }, 'date-of-death': { type: 'string' }, 'notified-on': { type: 'string' }, accounts: { type: 'string' }, account: { type: 'string' },
      representative: { type: 'string' }, 'rep-address': { type: 'string' }, 'rep-phone': { type: 'string' }, court: { type: 'string' }, 'probate-number': { type: 'string' }, published: { type: 'string' },
      attorney: { type: 'string' }, amount: { type: 'string' }, note: { type: 'string' }, date: { type: 'string' }, outcome: { type: 'string' }, 'last-day': { type: 'string' },
      'survivor-customer': { type: 'string' }, 'survivor-name': { type: 'string' }, phone: { type: 'string' }, status: { type: 'string' }, open: { type: 'boolean' }, 'claims-due': { type: 'boolean' },
      reason: { type: 'string' }, as: { type: 'string' }, json: { type: 'boolean' },
    },
    async run(v, [sub, arg]) {
      await withRuntime(async (rt) => {
        const json = !!v.json;
        switch (sub) {
          case 'notify': {
            const c = await deceased.notify(rt.db, await actorFor(rt.db, v), rt.clock, {
              customerId: id(arg, 'CUSTOMER_ID'), accountIds: str(v, 'accounts')?.split(',').map((x) => id(x.trim(), '--accounts')), dateOfDeath: dateOf(v, 'date-of-death') ?? null,
              notifiedOn: dateOf(v, 'notified-on'), notifiedBy: str(v, 'by') ?? '', relationship: str(v, 'relationship') ?? null, reason: reasonOf(v),
            });
            printResult(json, c, () => caseText(c));
            break;
          }
          case 'show': {
            const c = await deceased.getCase(rt.db, rt.clock, id(arg, 'CASE_ID'));
            printResult(json, c, () => caseText(c));
            break;
          }
          case 'list': {
            if (v['claims-due']) {
              const page = await deceased.listClaims(rt.db, rt.clock, { due: 'soon', after: 0, limit: 200 });
              printResult(json, page, () => page.items.map(claimText).join('\n') || 'No claim waiting to be filed is due within the warning days.');
              break;
            }
            const status = str(v, 'status') as deceased.CaseStatus | undefined;
            if (status && !['open', 'estate_claim', 'transferred', 'closed'].includes(status)) throw new CliError(`--status must be open, estate_claim, transferred or closed, got "${status}"`);
            const page = await deceased.listCases(rt.db, rt.clock, { status, open: !!v.open, after: 0, limit: 200 });
            printResult(json, page, () => page.items.map((c) => `${String(c.id).padStart(5)} ${c.status.padEnd(12)} ${c.customerName.padEnd(26).slice(0, 26)} ${c.source.padEnd(8)} notified ${c.notifiedOn}${c.estate.claimDeadline ? `  claims by ${c.estate.claimDeadline}` : ''}`).join('\n') || 'No deceased cases.');
            break;
          }
          case 'estate': {
            const patch = {
              representativeName: str(v, 'representative'), representativeAddress: str(v, 'rep-address'), representativePhone: str(v, 'rep-phone'), probateCourt: str(v, 'court'),
              probateCaseNumber: str(v, 'probate-number'), firstPublicationOn: dateOf(v, 'published'), estateAttorney: str(v, 'attorney'), dateOfDeath: dateOf(v, 'date-of-death'),
            };
            const c = await deceased.recordEstate(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'CASE_ID'), patch, reasonOf(v));
            printResult(json, c, () => caseText(c));
            break;
          }
          case 'claim': {
            const k = await deceased.createClaim(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'CASE_ID'), {
              accountId: str(v, 'account') ? id(str(v, 'account'), '--account') : undefined, amountCents: str(v, 'amount') ? centsOf(str(v, 'amount'), 'amount') : undefined, note: str(v, 'note') ?? null, reason: reasonOf(v),
            });
            printResult(json, k, () => claimText(k));
            break;
          }
          case 'file-claim': {
            const k = await deceased.fileClaim(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'CLAIM_ID'), { filedOn: dateOf(v, 'date'), reason: reasonOf(v) });
            printResult(json, k, () => claimText(k));
            break;
          }
          case 'claim-outcome': {
            const outcome = str(v, 'outcome');
            if (outcome !== 'allowed' && outcome !== 'rejected' && outcome !== 'paid' && outcome !== 'written_off') throw new CliError(`--outcome must be allowed, rejected, paid or written_off${outcome ? `, got "${outcome}"` : ''}`);
            const k = await deceased.stepClaim(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'CLAIM_ID'), { outcome, on: dateOf(v, 'date'), reason: reasonOf(v) });
            printResult(json, k, () => claimText(k));
            break;
          }
          case 'transfer': {
            const name = str(v, 'survivor-name')?.trim();
            const parts = name ? name.split(/\s+/) : [];
            const c = await deceased.transferService(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'CASE_ID'), {
              accountId: str(v, 'account') ? id(str(v, 'account'), '--account') : undefined,
              survivorCustomerId: str(v, 'survivor-customer') ? id(str(v, 'survivor-customer'), '--survivor-customer') : undefined,
              survivor: name ? { firstName: parts.length > 1 ? parts.slice(0, -1).join(' ') : null, lastName: parts[parts.length - 1]!, phone: str(v, 'phone') ?? null } : undefined,
              lastDay: dateOf(v, 'last-day', true)!, reason: reasonOf(v),
            });
            printResult(json, c, () => `${caseText(c)}\nThe orders wait for the field: complete them with the meter reads (ratepayer orders complete ID --read N).`);
            break;
          }
          case 'close': {
            const c = await deceased.closeCase(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'CASE_ID'), reasonOf(v));
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
