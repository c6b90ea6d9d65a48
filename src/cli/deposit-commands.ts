/** CLI commands for security deposits and refunds: `deposit-security ...`, `refunds ...`. */
import fs from 'node:fs';
import { deposits } from '../deposit/index.ts';
import { isDate } from '../platform/dates.ts';
import { formatCents } from '../platform/money.ts';
import { refunds } from '../refund/index.ts';
import type { Command } from './commands.ts';
import { actorFor } from './field-commands.ts';
import { CliError, printResult } from './output.ts';
import { centsOf } from './payment-commands.ts';
import { str, withRuntime, type Values, idArg as id, reasonArg as reasonOf } from './runtime.ts';

const DEPOSIT_USAGE = 'usage: ratepayer security-deposit check|require|show ACCOUNT_ID [--amount 150.00] [--instalments N] [--reason R] | security-deposit return|apply DEPOSIT_ID --reason R | security-deposit run | security-deposit list [--status S]';
const REFUND_USAGE = 'usage: ratepayer refunds request ACCOUNT_ID [--amount 12.34] --reason R | refunds approve|cancel ID --reason R | refunds returned ID --date D --reason R | refunds list [--status S] | refunds export [--out FILE]';
const depositText = (d: deposits.Deposit) =>
  `Deposit ${d.id} (${d.status}) on account ${d.accountId}: ${formatCents(d.amountCents)} in ${d.instalments.length} instalment(s), ${formatCents(d.heldCents)} held, interest ${formatCents(d.status === 'billing' || d.status === 'held' ? d.accruedInterestCents : d.interestCents)}; rule ${d.rule}: ${d.ruleDetail}`;
const refundText = (r: refunds.Refund) => `Refund ${r.id} (${r.status}): ${formatCents(r.amountCents)} ${r.kind.replace('_', ' ')} to ${r.payeeName}, account ${r.accountId}`;

export const depositCommands: Record<string, Command> = {
  'security-deposit': {
    options: { amount: { type: 'string' }, instalments: { type: 'string' }, reason: { type: 'string' }, status: { type: 'string' }, as: { type: 'string' }, json: { type: 'boolean' } },
    async run(v, [sub, arg]) {
      await withRuntime(async (rt) => {
        const json = !!v.json;
        switch (sub) {
          case 'check': {
            const e = await deposits.evaluate(rt.db, rt.clock, id(arg, 'ACCOUNT_ID'));
            printResult(json, e, () => `${e.decision.required ? 'A deposit is called for' : 'No deposit is called for'} (${e.decision.rule}): ${e.decision.detail}. `
              + (e.capCents === null ? 'The annual bill cannot be estimated: give the amount.' : `At most ${formatCents(e.capCents)} (2/12 of ${formatCents(e.annualCents!)} a year), in up to ${e.maxInstalments} instalments.`));
            break;
          }
          case 'require': {
            const n = str(v, 'instalments');
            if (n !== undefined && !/^\d{1,2}$/.test(n)) throw new CliError(`--instalments must be a number, got "${n}"`);
            const d = await deposits.requireDeposit(rt.db, await actorFor(rt.db, v), rt.clock, { accountId: id(arg, 'ACCOUNT_ID'), amountCents: str(v, 'amount') ? centsOf(str(v, 'amount'), 'amount') : undefined, instalments: n ? Number(n) : undefined, reason: reasonOf(v) });
            printResult(json, d, () => depositText(d));
            break;
          }
          case 'show': {
            const items = await deposits.depositsOfAccount(rt.db, rt.clock, id(arg, 'ACCOUNT_ID'));
            printResult(json, { items }, () => items.map((d) => [depositText(d), ...d.instalments.map((i) => `  ${i.n}. ${formatCents(i.amountCents)} due ${i.dueOn}${i.billedOn ? `, billed ${i.billedOn}` : ''}${i.paidOn ? `, paid ${i.paidOn}` : ''}`)].join('\n')).join('\n') || `Account ${arg} has no deposits.`);
            break;
          }
          case 'return':
          case 'apply': {
            const d = await deposits.closeDeposit(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'DEPOSIT_ID'), sub === 'return' ? 'returned' : 'applied', reasonOf(v));
            printResult(json, d, () => depositText(d));
            break;
          }
          case 'run': {
            const r = await deposits.run(rt.db, await actorFor(rt.db, v), rt.clock);
            printResult(json, r, () => `Deposit job for ${r.date}: ${r.billed} instalment(s) billed, ${r.paid} paid, ${r.returned} deposit(s) returned, ${r.applied} applied to final bills${r.deposits.length === 0 ? '; nothing was due.' : ''}`);
            break;
          }
          case 'list': {
            const status = str(v, 'status') as 'billing' | undefined;
            const page = await deposits.listDeposits(rt.db, { status, after: 0, limit: 200 });
            printResult(json, page, () => page.items.map((d) => `${String(d.id).padStart(6)} ${d.accountNumber} ${d.customerName.padEnd(28).slice(0, 28)} ${d.status.padEnd(9)} ${formatCents(d.amountCents).padStart(10)}`).join('\n') || 'No deposits.');
            break;
          }
          default:
            throw new CliError(DEPOSIT_USAGE);
        }
      });
    },
  },

  refunds: {
    options: { amount: { type: 'string' }, reason: { type: 'string' }, date: { type: 'string' }, status: { type: 'string' }, out: { type: 'string' }, as: { type: 'string' }, json: { type: 'boolean' } },
    async run(v, [sub, arg]) {
      await withRuntime(async (rt) => {
        const json = !!v.json;
        const actor = await actorFor(rt.db, v);
        switch (sub) {
          case 'request': {
            const r = await refunds.requestRefund(rt.db, actor, rt.clock, { accountId: id(arg, 'ACCOUNT_ID'), amountCents: str(v, 'amount') ? centsOf(str(v, 'amount'), 'amount') : undefined, reason: reasonOf(v) });
            printResult(json, r, () => refundText(r) + (r.status === 'requested' ? ' (above the approval limit: a supervisor must approve it)' : ''));
            break;
          }
          case 'approve':
          case 'cancel': {
            const r = sub === 'approve' ? await refunds.approveRefund(rt.db, actor, rt.clock, id(arg, 'REFUND_ID'), reasonOf(v)) : await refunds.cancelRefund(rt.db, actor, rt.clock, id(arg, 'REFUND_ID'), reasonOf(v));
            printResult(json, r, () => refundText(r));
            break;
          }
          case 'returned': {
            const d = str(v, 'date');
            if (!d || !isDate(d)) throw new CliError('--date must be the day the check came back, YYYY-MM-DD');
            const r = await refunds.returnRefund(rt.db, actor, rt.clock, id(arg, 'REFUND_ID'), { returnedOn: d, reason: reasonOf(v) });
            printResult(json, r, () => `${refundText(r)}; the credit is back on the account, which is flagged for a new address`);
            break;
          }
          case 'list': {
            const page = await refunds.listRefunds(rt.db, { status: str(v, 'status') as 'approved' | undefined, after: 0, limit: 200 });
            printResult(json, page, () => page.items.map((r) => `${String(r.id).padStart(6)} ${r.accountNumber} ${r.status.padEnd(9)} ${r.kind.padEnd(14)} ${formatCents(r.amountCents).padStart(10)}  ${r.payeeName}`).join('\n') || 'No refunds.');
            break;
          }
          case 'export': {
            const e = await refunds.exportRefunds(rt.db, actor, rt.clock, rt.config.timeZone);
            const out = str(v, 'out');
            if (e && out) fs.writeFileSync(out, e.body);
            printResult(json, e ? { ...e, body: out ? undefined : e.body } : { export: null }, () => (e ? `Accounts-payable file ${e.id} (${e.fileName}): ${e.refunds} refund(s), ${formatCents(e.totalCents)}${out ? `, written to ${out}` : `\n${e.body}`}` : 'No approved refunds to send.'));
            break;
          }
          default:
            throw new CliError(REFUND_USAGE);
        }
      });
    },
  },
};
