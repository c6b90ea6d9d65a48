/** CLI commands for payments and daily cash: `import`, `payment`, `batch`, `deposit`, `returns`, `autopay`. */
import fs from 'node:fs';
import path from 'node:path';
import { isDate } from '../platform/dates.ts';
import { decimalToCents, formatCents } from '../platform/money.ts';
import { autopay, deposits, paymentImports, payments, returns } from '../payment/index.ts';
import type { Command } from './commands.ts';
import { actorFor } from './field-commands.ts';
import { str, withRuntime, type Values, idArg as id } from './runtime.ts';
import { CliError, printResult } from './output.ts';

const json = { type: 'boolean' } as const;
const as = { type: 'string' } as const;

const date = (v: Values, key: string, fallback?: string) => {
  const d = str(v, key) ?? fallback;
  if (!d || !isDate(d)) throw new CliError(`--${key} must be a date YYYY-MM-DD${d ? `, got "${d}"` : ''}`);
  return d;
};
/** Dollars and cents as typed ("12.34", "12") to whole cents, exactly. */
export function centsOf(raw: string | undefined, key: string): number {
  const cents = raw === undefined ? null : decimalToCents(raw);
  if (cents === null || cents < 0 || raw!.trim().startsWith('-')) throw new CliError(`--${key} must be dollars and cents like 125.50${raw ? `, got "${raw}"` : ''}`);
  return cents;
}

export const paymentCommands: Record<string, Command> = {
  import: {
    options: { layout: { type: 'string' }, as, json },
    async run(v, [kind, file]) {
      const kinds = paymentImports.IMPORT_KINDS;
      if (!kind || !file || !(kinds as readonly string[]).includes(kind)) throw new CliError(`usage: ratepayer import ${kinds.join('|')} FILE [--layout CODE] [--json]`);
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      await withRuntime(async (rt) => {
        const r = await paymentImports.importFile(rt.db, await actorFor(rt.db, v), rt.clock, kind as paymentImports.ImportKind, path.basename(file), bytes, { layout: str(v, 'layout') });
        printResult(!!v.json, { records: r.records, posted: r.posted, unmatched: r.unmatched, rejected: r.rejected, totalCents: r.totalCents, duplicate: r.duplicate, importId: r.importId, detail: r.detail },
          () => r.duplicate
            ? `${path.basename(file)} was imported before (import ${r.importId}): nothing posted now.`
            : `Import ${r.importId} (${kind}): ${r.records} records, ${r.posted} posted, ${r.unmatched} unmatched (suspense or for staff), ${r.rejected} not taken; ${formatCents(r.totalCents)}`);
      });
    },
  },

  payment: {
    options: { account: { type: 'string' }, amount: { type: 'string' }, method: { type: 'string' }, reference: { type: 'string' }, key: { type: 'string' }, to: { type: 'string' }, reason: { type: 'string' }, as, json },
    async run(v, [sub, arg]) {
      await withRuntime(async (rt) => {
        const actor = await actorFor(rt.db, v);
        if (sub === 'post') {
          const method = str(v, 'method') ?? 'cash';
          if (!['cash', 'check', 'card'].includes(method)) throw new CliError(`--method must be cash, check or card, got "${method}"`);
          const r = await payments.postCounterPayment(rt.db, actor, rt.clock, { accountId: id(str(v, 'account'), '--account'), amountCents: centsOf(str(v, 'amount'), 'amount'), method: method as 'cash', reference: str(v, 'reference'), idempotencyKey: str(v, 'key') });
          printResult(!!v.json, r, () => `Payment ${r.payment.id}${r.replayed ? ' (already taken)' : ''}: ${formatCents(r.payment.amountCents)} ${method} to account ${r.payment.accountId} in batch ${r.payment.batchId}; `
            + `applied ${r.shares.map((s) => `${s.service ?? 'credit'} ${formatCents(s.amountCents)}`).join(', ')}; balance now ${formatCents(r.balanceCents)}`);
        } else if (sub === 'show') {
          const p = await payments.getPayment(rt.db, id(arg, 'PAYMENT_ID'));
          printResult(!!v.json, p, () => `Payment ${p.id}: ${formatCents(p.amountCents)} ${p.method} (${p.channel}) received ${p.receivedOn}, ${p.status}, account ${p.accountId ?? 'none (suspense)'}`);
        } else if (sub === 'apply') {
          const r = await payments.applySuspense(rt.db, actor, rt.clock, id(arg, 'PAYMENT_ID'), id(str(v, 'to'), '--to'), str(v, 'reason') ?? '');
          printResult(!!v.json, r, () => `Payment ${r.payment.id} applied to account ${r.payment.accountId}`);
        } else if (sub === 'move') {
          const r = await payments.correctPayment(rt.db, actor, rt.clock, id(arg, 'PAYMENT_ID'), { accountId: str(v, 'to') ? id(str(v, 'to'), '--to') : undefined, amountCents: str(v, 'amount') ? centsOf(str(v, 'amount'), 'amount') : undefined }, str(v, 'reason') ?? '');
          printResult(!!v.json, r, () => `Payment ${r.reversed.id} reversed; payment ${r.corrected.id} posted: ${formatCents(r.corrected.amountCents)} to account ${r.corrected.accountId}`);
        } else {
          throw new CliError('usage: ratepayer payment post --account ID --amount 12.34 [--method cash|check|card] [--reference R] [--key K] | payment show ID | payment apply ID --to ACCOUNT_ID --reason R | payment move ID [--to ACCOUNT_ID] [--amount 12.34] --reason R');
        }
      });
    },
  },

  batch: {
    options: { day: { type: 'string' }, count: { type: 'string' }, total: { type: 'string' }, as, json },
    async run(v, [sub, arg]) {
      await withRuntime(async (rt) => {
        if (sub === 'list') {
          const items = await payments.listBatches(rt.db, { day: str(v, 'day') });
          printResult(!!v.json, { items }, () => items.map((b) => `${String(b.id).padStart(6)} ${b.businessDate} ${b.channel.padEnd(8)} ${b.status.padEnd(7)} ${String(b.count).padStart(6)} ${formatCents(b.totalCents).padStart(14)}${b.depositId ? `  deposit ${b.depositId}` : ''}`).join('\n') || 'No batches.');
        } else if (sub === 'close') {
          const b = await payments.closeBatch(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'BATCH_ID'), { count: id(str(v, 'count'), '--count'), totalCents: centsOf(str(v, 'total'), 'total') });
          printResult(!!v.json, b, () => `Batch ${b.id} closed: ${b.expectedCount} payments, ${formatCents(b.expectedCents ?? 0)}`);
        } else {
          throw new CliError('usage: ratepayer batch list [--day D] | batch close ID --count N --total 1234.56');
        }
      });
    },
  },

  deposit: {
    options: { date: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, as, json },
    async run(v, [sub]) {
      await withRuntime(async (rt) => {
        if (sub === 'make') {
          const d = await deposits.makeDeposit(rt.db, await actorFor(rt.db, v), rt.clock, date(v, 'date', rt.clock.today()));
          printResult(!!v.json, d, () => `Deposit ${d.id} for ${d.businessDate}: cash ${formatCents(d.cashCents)}, checks ${formatCents(d.checkCents)}, ${d.itemCount} items from batches ${d.batchIds.join(', ')}`);
        } else if (sub === 'summary') {
          const rows = await deposits.depositSummary(rt.db, date(v, 'from'), date(v, 'to'));
          printResult(!!v.json, { items: rows }, () => rows.map((r) => `${r.day} ${r.channel.padEnd(8)} ${r.method.padEnd(6)} ${String(r.count).padStart(6)} ${formatCents(r.totalCents).padStart(14)}${r.reversedCount ? `  (${r.reversedCount} reversed, ${formatCents(r.reversedCents)})` : ''}`).join('\n') || 'Nothing received.');
        } else if (sub === 'reconcile') {
          const r = await deposits.reconcile(rt.db, date(v, 'from'), date(v, 'to'));
          printResult(!!v.json, r, () => `Matched ${r.matched.length}, ours not on the bank's report ${r.missing.length}, the bank's not ours ${r.unexpected.length}, differences ${r.differences.length}; expected ${formatCents(r.totals.expectedCents)}, matched ${formatCents(r.totals.matchedCents)}, bank credits ${formatCents(r.totals.bankCents)}`);
        } else {
          throw new CliError('usage: ratepayer deposit make [--date D] | deposit summary --from D --to D | deposit reconcile --from D --to D');
        }
      });
    },
  },

  returns: {
    options: { status: { type: 'string' }, note: { type: 'string' }, as, json },
    async run(v, [sub, arg]) {
      await withRuntime(async (rt) => {
        if (sub === 'list') {
          const items = await returns.returnsQueue(rt.db, { status: (str(v, 'status') ?? 'open') as 'open' });
          printResult(!!v.json, { items }, () => items.map((r) => `${String(r.id).padStart(6)} ${r.returnedOn} ${r.accountNumber ?? '-'} ${r.source} ${r.reasonCode} ${formatCents(r.amountCents)} fee ${formatCents(r.feeCents)} ${r.status}`).join('\n') || 'No returned payments.');
        } else if (sub === 'resolve') {
          const r = await returns.resolveReturn(rt.db, await actorFor(rt.db, v), rt.clock, id(arg, 'RETURN_ID'), str(v, 'note') ?? '');
          printResult(!!v.json, r, () => `Returned payment ${r.id} followed up`);
        } else {
          throw new CliError('usage: ratepayer returns list [--status open|resolved] | returns resolve ID --note TEXT');
        }
      });
    },
  },

  autopay: {
    options: { 'due-date': { type: 'string' }, out: { type: 'string' }, as, json },
    async run(v, [sub]) {
      if (sub !== 'file') throw new CliError('usage: ratepayer autopay file --due-date D [--out FILE] [--json]');
      await withRuntime(async (rt) => {
        const f = await autopay.achFileFor(rt.db, await actorFor(rt.db, v), rt.clock, date(v, 'due-date'));
        const out = str(v, 'out');
        if (out) fs.writeFileSync(out, f.body);
        printResult(!!v.json, { ...f, body: out ? undefined : f.body }, () => `${f.existing ? 'Made before: ' : ''}ACH file ${f.fileId} for ${f.dueDate}: ${f.debits} debits for ${formatCents(f.totalCents)}, ${f.prenotes} prenotes${out ? `, written to ${out}` : `\n${f.body}`}`);
      });
    },
  },
};
