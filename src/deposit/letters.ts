/**
 * The customer's letter for a deposit: asked (the amount, why, the instalments, the interest and
 * when it comes back), returned after good payment, or applied to the final bill, as PDF.
 */
import { customers } from '../customer/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import { renderPdf } from '../platform/pdf.ts';
import * as repo from './repository.ts';

type Meta = Pick<Config, 'utilityName' | 'utilityAddress' | 'utilityPhone' | 'timeZone'>;

const RULES: Record<string, string> = {
  unpaid_prior_account: 'an earlier account of yours with us was left unpaid',
  disconnect_history: 'service was disconnected for non-payment in the past two years',
  returned_payments: 'payments were returned by your bank in the past year',
  no_credit_history: 'you do not yet have a year of payment history with us',
  staff: 'of your account\'s circumstances',
};

export async function depositLetterPdf(db: Db, clock: Clock, meta: Meta, eventId: number): Promise<Buffer> {
  const event = (await repo.eventById(db, eventId));
  if (!event) throw notFound('Deposit letter', eventId);
  if (!['required', 'returned', 'applied'].includes(event.kind)) throw new AppError('conflict', `Deposit event ${eventId} (${event.kind}) has no letter`);
  const d = (await repo.findDeposit(db, Number(event.deposit_id)))!;
  const account = await customers.getAccount(db, d.account_id);
  const customer = await customers.getCustomer(db, account.customerId);
  const parts = await repo.instalmentsOf(db, d.id);
  const rates = await repo.rates(db);
  const rate = [...rates].reverse().find((r) => r.effective_from <= event.on_date)?.percent ?? '0';
  const a = account.billingAddress;
  const title = event.kind === 'required' ? 'Security deposit' : event.kind === 'returned' ? 'Your deposit is returned' : 'Your deposit has been applied';
  return renderPdf({ title, subtitle: `Account ${account.accountNumber}, ${event.on_date}`, utilityName: meta.utilityName, generatedAt: clock.now(), timeZone: meta.timeZone }, (pdf) => {
    pdf.paragraph([customer.displayName, a.line1, ...(a.line2 ? [a.line2] : []), `${a.city} ${a.state} ${a.postalCode}`].join('\n'));
    pdf.paragraph(`Dear ${customer.displayName},`);
    if (event.kind === 'required') {
      pdf.paragraph(`We ask a security deposit of ${formatCents(Number(d.amount_cents))} for your service because ${RULES[d.rule] ?? d.rule_detail}. `
        + `It is no more than two months of your estimated bills, and you may pay it in ${parts.length} instalment(s), each on your bill:`);
      pdf.table([{ header: 'Instalment', width: 90 }, { header: 'Due', width: 120 }, { header: 'Amount', width: 120, align: 'right' }], parts.map((p) => [String(p.n), p.due_on, formatCents(Number(p.amount_cents))]));
      pdf.paragraph(`Your deposit earns simple interest at ${Number(rate)}% a year. After 12 months of paying on time it comes back to you with its interest; if your service ends first, it is applied to your final bill and anything left is refunded.`);
    } else {
      pdf.paragraph(event.kind === 'returned'
        ? `Thank you for a year of good payment. Your deposit of ${formatCents(Number(event.amount_cents))} and ${formatCents(Number(event.interest_cents))} of interest have been returned to your account.`
        : `Your deposit of ${formatCents(Number(event.amount_cents))} and ${formatCents(Number(event.interest_cents))} of interest have been applied to your final bill. Any credit left is refunded by check to the address above.`);
    }
    pdf.paragraph(`If you have questions, please call us at ${meta.utilityPhone}.\n\n${meta.utilityName}\n${meta.utilityAddress.join('\n')}`);
  });
}
