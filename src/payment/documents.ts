/**
 * Payment documents as PDF, in the shared look (platform/pdf.ts): the counter receipt, the bank
 * deposit slip, and the returned-payment letter to the customer.
 */
import type { Config } from '../platform/config.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import { renderPdf } from '../platform/pdf.ts';
import { getDeposit } from './deposits.ts';
import * as repo from './repository.ts';
import { getReturn } from './returns.ts';
import { getPayment } from './service.ts';

type Meta = Pick<Config, 'utilityName' | 'utilityAddress' | 'utilityPhone' | 'timeZone'>;

const serviceName = (s: string | null) => (s === null ? 'Credit on account' : s[0]!.toUpperCase() + s.slice(1));

export async function receiptPdf(db: Db, clock: Clock, meta: Meta, paymentId: number): Promise<Buffer> {
  const p = await getPayment(db, paymentId);
  const account = p.accountId === null ? null : await repo.accountById(db, p.accountId);
  return renderPdf({ title: 'Payment receipt', subtitle: `Receipt ${p.id}`, utilityName: meta.utilityName, generatedAt: clock.now(), timeZone: meta.timeZone }, (pdf) => {
    pdf.keyValues([
      ['Receipt', String(p.id)],
      ['Received', p.receivedOn],
      ['Account', account ? `${account.account_number} ${account.display_name}` : 'Unapplied (in suspense)'],
      ['Amount', formatCents(p.amountCents)],
      ['Paid by', p.method + (p.reference ? ` ${p.reference}` : '')],
      ['Status', p.status],
    ]);
    if (p.shares.length > 0) pdf.table([{ header: 'Applied to', width: 300 }, { header: 'Amount', width: 120, align: 'right' }], p.shares.map((s) => [serviceName(s.service), formatCents(s.amountCents)]));
    pdf.paragraph(`${meta.utilityName}, ${meta.utilityAddress.join(', ')}, ${meta.utilityPhone}. Keep this receipt for your records.`);
  });
}

export async function depositSlipPdf(db: Db, clock: Clock, meta: Meta, depositId: number): Promise<Buffer> {
  const d = await getDeposit(db, depositId);
  const checks: string[][] = [];
  for (const b of d.batches) {
    const inBatch = await repo.paymentsOfBatch(db, b.id);
    // Each check as it stands now: one a correction replaced is listed in its corrected form.
    const replaced = new Set(inBatch.filter((x) => x.corrects_payment_id !== null).map((x) => Number(x.corrects_payment_id)));
    for (const p of inBatch) {
      if (p.method === 'check' && !replaced.has(Number(p.id))) checks.push([p.reference ?? '', p.payer_routing ?? '', p.payer_name ?? '', formatCents(Number(p.amount_cents))]);
    }
  }
  return renderPdf({ title: 'Deposit slip', subtitle: `Deposit ${d.id} for ${d.businessDate}`, utilityName: meta.utilityName, generatedAt: clock.now(), timeZone: meta.timeZone }, (pdf) => {
    pdf.keyValues([
      ['Deposit', String(d.id)],
      ['Business date', d.businessDate],
      ['Currency and coin', formatCents(d.cashCents)],
      ['Checks', `${checks.length} for ${formatCents(d.checkCents)}`],
      ['Total deposit', formatCents(d.cashCents + d.checkCents)],
      ['Batches', d.batchIds.join(', ')],
    ]);
    if (checks.length > 0) pdf.table([{ header: 'Check', width: 80 }, { header: 'Bank', width: 90 }, { header: 'Payer', width: 220 }, { header: 'Amount', width: 90, align: 'right' }], checks);
    pdf.blankLines('Prepared by / verified by', 2);
  });
}

export async function returnLetterPdf(db: Db, clock: Clock, meta: Meta, returnId: number): Promise<Buffer> {
  const r = await getReturn(db, returnId);
  const p = await getPayment(db, r.paymentId);
  if (p.accountId === null) throw notFound('Account of returned payment', returnId);
  const account = (await repo.accountById(db, p.accountId))!;
  return renderPdf({ title: 'Returned payment', subtitle: `Account ${account.account_number}`, utilityName: meta.utilityName, generatedAt: clock.now(), timeZone: meta.timeZone }, (pdf) => {
    pdf.paragraph([account.display_name, account.billing_line1, `${account.billing_city} ${account.billing_state} ${account.billing_postal_code}`].join('\n'));
    pdf.paragraph(`Dear ${account.display_name},`);
    pdf.paragraph(`Your payment of ${formatCents(p.amountCents)} received on ${p.receivedOn}${p.reference ? ` (${p.method} ${p.reference})` : ''} was returned by your bank on ${r.returnedOn}: ${r.reason}. `
      + `The payment has been removed from your account${r.feeCents > 0 ? ` and a returned payment fee of ${formatCents(r.feeCents)} has been charged` : ''}.`);
    pdf.paragraph(`Please pay ${formatCents(p.amountCents + r.feeCents)} by cash, money order, cashier's check or card as soon as possible to avoid collection action. `
      + 'Accounts with repeated returned payments may be limited to cash payments. If you have questions, or need help through an assistance program, please call us.');
    pdf.paragraph(`${meta.utilityName}\n${meta.utilityAddress.join('\n')}\n${meta.utilityPhone}`);
  });
}
