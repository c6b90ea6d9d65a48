/** CLI commands for budget billing: `budget quote|enrol|show|end|relevel|review|list`. */
import fs from 'node:fs';
import { budget } from '../budget/index.ts';
import { letterPdf } from '../budget/letters.ts';
import { monthName } from '../platform/dates.ts';
import { formatCents } from '../platform/money.ts';
import type { Command } from './commands.ts';
import { actorFor } from './field-commands.ts';
import { CliError, printResult } from './output.ts';
import { str, withRuntime, idArg as id } from './runtime.ts';

const shortMonth = (m: number) => monthName(m).slice(0, 3);
const USAGE = 'usage: ratepayer budget quote|enrol|show ACCOUNT_ID [--assistance] [--settle-month M] [--reason R] | budget end|relevel PLAN_ID --reason R | budget review | budget list [--status active|ended] | budget letter EVENT_ID --out FILE';
const month = (raw: string | undefined) => {
  if (raw === undefined) return undefined;
  if (!/^\d{1,2}$/.test(raw) || Number(raw) < 1 || Number(raw) > 12) throw new CliError(`--settle-month must be a month 1-12, got "${raw}"`);
  return Number(raw);
};
const reasonOf = (v: Record<string, unknown>) => {
  const r = typeof v.reason === 'string' ? v.reason : '';
  if (r.trim().length < 3) throw new CliError('--reason is required (why the change is made; kept in the audit trail)');
  return r;
};
const planText = (p: budget.BudgetPlan) =>
  `Budget plan ${p.id} (${p.status}) for account ${p.accountId}: ${formatCents(p.monthlyCents)} a month since ${p.enrolledOn}, settle-up in ${shortMonth(p.settleMonth)}, `
  + `next review ${p.nextReviewOn}; deferred balance ${formatCents(p.deferredCents)}${p.endedOn ? `; ended ${p.endedOn} (${p.endReason})` : ''}`;

export const budgetCommands: Record<string, Command> = {
  budget: {
    options: { assistance: { type: 'boolean' }, 'settle-month': { type: 'string' }, reason: { type: 'string' }, status: { type: 'string' }, out: { type: 'string' }, as: { type: 'string' }, json: { type: 'boolean' } },
    async run(v, [sub, arg]) {
      await withRuntime(async (rt) => {
        const json = !!v.json;
        switch (sub) {
          case 'quote': {
            const q = await budget.quote(rt.db, rt.clock, id(arg, 'ACCOUNT_ID'), { assistanceEligible: !!v.assistance, settleMonth: month(str(v, 'settle-month')) });
            printResult(json, q, () => [
              `Account ${q.accountId}: a year at today's rates ${formatCents(q.annualCents)}; budget amount ${formatCents(q.monthlyCents)} a month, settle-up in ${shortMonth(q.settleMonth)}`
                + (q.estimatedMonths > 0 ? ` (${q.estimatedMonths} service-month(s) estimated)` : ''),
              ...q.agreements.map((a) => `  ${a.service.padEnd(8)} ${a.rateCode.padEnd(8)} ${formatCents(a.annualCents).padStart(12)}${a.estimatedMonths ? `  ${a.estimatedMonths} estimated` : ''}`),
              q.eligible ? 'Eligible: it may enrol.' : `Not eligible (${q.failure!.rule}): ${q.failure!.message}`,
            ].join('\n'));
            break;
          }
          case 'enrol': {
            const p = await budget.enrol(rt.db, await actorFor(rt.db, v), rt.clock, { accountId: id(arg, 'ACCOUNT_ID'), assistanceEligible: !!v.assistance, settleMonth: month(str(v, 'settle-month')) }, reasonOf(v));
            printResult(json, p, () => planText(p));
            break;
          }
          case 'show': {
            const r = await budget.planOfAccount(rt.db, id(arg, 'ACCOUNT_ID'));
            printResult(json, r, () => r.plan
              ? [planText(r.plan), ...r.events.map((e) => `  ${e.onDate} ${e.kind.padEnd(10)} ${e.monthlyAfterCents === null ? '' : formatCents(e.monthlyAfterCents).padStart(10)}  deferred ${formatCents(e.deferredCents)}  letter: event ${e.id}`)].join('\n')
              : `Account ${arg} is not on budget billing${r.history.length ? ` (${r.history.length} ended plan(s))` : ''}.`);
            break;
          }
          case 'end': {
            const p = await budget.endPlan(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'PLAN_ID'), 'request', reasonOf(v));
            printResult(json, p, () => planText(p));
            break;
          }
          case 'relevel': {
            const p = await budget.relevelPlan(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'PLAN_ID'), reasonOf(v));
            printResult(json, p, () => planText(p));
            break;
          }
          case 'review': {
            const r = await budget.review(rt.db, await actorFor(rt.db, v), rt.clock);
            printResult(json, r, () => `Budget review for ${r.date}: ${r.reviewed} reviewed (${r.relevelled} re-levelled, ${r.unchanged} unchanged), ${r.endedForDelinquency} ended for delinquency`
              + (r.reviewed + r.endedForDelinquency === 0 ? '; nothing was due.' : ''));
            break;
          }
          case 'list': {
            const status = str(v, 'status');
            if (status !== undefined && status !== 'active' && status !== 'ended') throw new CliError(`--status must be active or ended, got "${status}"`);
            const page = await budget.listPlans(rt.db, { status, after: 0, limit: 200 });
            printResult(json, page, () => page.items.map((p) => `${String(p.id).padStart(6)} ${p.accountNumber} ${p.customerName.padEnd(28).slice(0, 28)} ${p.status.padEnd(6)} ${formatCents(p.monthlyCents).padStart(10)} deferred ${formatCents(p.deferredCents)}`).join('\n') || 'No budget plans.');
            break;
          }
          case 'letter': {
            const out = str(v, 'out');
            if (!out) throw new CliError('usage: ratepayer budget letter EVENT_ID --out FILE');
            const body = await letterPdf(rt.db, rt.clock, rt.config, id(arg, 'EVENT_ID'));
            fs.writeFileSync(out, body);
            printResult(json, { out, bytes: body.length }, () => `Letter written to ${out} (${body.length} bytes)`);
            break;
          }
          default:
            throw new CliError(USAGE);
        }
      });
    },
  },
};
