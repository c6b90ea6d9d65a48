/**
 * The customer's letter for each budget-billing event (enrolment, a new amount, the settle-up,
 * a review that changed nothing, the end of the plan), as PDF in the shared look (platform/pdf.ts).
 */
import { customers } from '../customer/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import { monthName } from '../platform/dates.ts';
import type { Db } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import { renderPdf } from '../platform/pdf.ts';
import * as repo from './repository.ts';

type Meta = Pick<Config, 'utilityName' | 'utilityAddress' | 'utilityPhone' | 'timeZone'>;

const TITLES: Record<repo.EventKind, string> = {
  enrolled: 'Welcome to budget billing',
  relevelled: 'Your budget amount has changed',
  reviewed: 'Your budget amount has been reviewed',
  settled: 'Your yearly budget settle-up',
  ended: 'Your budget billing has ended',
};

/** What the deferred balance means to the customer, in a sentence. */
const deferredWords = (cents: number) =>
  cents > 0 ? `your bills have come to ${formatCents(cents)} more than the budget amounts charged`
    : cents < 0 ? `the budget amounts charged have come to ${formatCents(-cents)} more than your bills`
      : 'your bills and the budget amounts charged are even';

export async function letterPdf(db: Db, clock: Clock, meta: Meta, eventId: number): Promise<Buffer> {
  const event = await repo.findEvent(db, eventId);
  if (!event) throw notFound('Budget billing letter', eventId);
  const plan = (await repo.findPlan(db, event.plan_id))!;
  const account = await customers.getAccount(db, plan.account_id);
  const customer = await customers.getCustomer(db, account.customerId);
  const before = event.monthly_before_cents === null ? null : Number(event.monthly_before_cents);
  const after = event.monthly_after_cents === null ? null : Number(event.monthly_after_cents);
  const deferred = Number(event.deferred_cents);
  const detail = (event.detail ?? {}) as { annualCents?: number; estimatedMonths?: number; settledCents?: number; endReason?: string };
  const a = account.billingAddress;
  return renderPdf({ title: TITLES[event.kind], subtitle: `Account ${account.accountNumber}, ${event.on_date}`, utilityName: meta.utilityName, generatedAt: clock.now(), timeZone: meta.timeZone }, (pdf) => {
    pdf.paragraph([customer.displayName, a.line1, ...(a.line2 ? [a.line2] : []), `${a.city} ${a.state} ${a.postalCode}`].join('\n'));
    pdf.paragraph(`Dear ${customer.displayName},`);
    switch (event.kind) {
      case 'enrolled':
        pdf.paragraph(`Your account is on budget billing from ${event.on_date}. Instead of your monthly charges you will pay ${formatCents(after!)} each month. `
          + `We worked this out from a year of your use at today's rates${detail.annualCents ? ` (${formatCents(detail.annualCents)} a year)` : ''}`
          + `${detail.estimatedMonths ? `, with ${detail.estimatedMonths} month(s) estimated from similar homes where we had no history of yours` : ''}.`);
        pdf.paragraph(`Each bill will show your actual charges, the budget amount and the running difference between them. We review the amount every few months and change it if the difference grows. `
          + `Once a year, with your ${monthName(plan.settle_month)} bill, the difference is settled: added to that bill if you owe it, or credited if you have paid ahead.`);
        break;
      case 'relevelled':
      case 'settled':
        if (event.kind === 'settled') pdf.paragraph(`This is your yearly settle-up. ${detail.settledCents ? `${formatCents(Math.abs(detail.settledCents))} has been ${detail.settledCents > 0 ? 'added to' : 'credited on'} your bill, and the difference starts again from zero.` : 'Your bills and budget amounts were even, so nothing is added or credited.'}`);
        else pdf.paragraph(`We have worked out your budget amount again from a year of your use at today's rates. So far ${deferredWords(deferred)}.`);
        pdf.paragraph(before === after
          ? `Your budget amount stays at ${formatCents(after ?? 0)} a month.`
          : `Your budget amount changes from ${formatCents(before ?? 0)} to ${formatCents(after ?? 0)} a month, starting with your next bill.`);
        break;
      case 'reviewed':
        pdf.paragraph(`We have reviewed your budget amount. So far ${deferredWords(deferred)}, which is within what we expect, so your amount stays at ${formatCents(after ?? before ?? 0)} a month.`);
        break;
      case 'ended':
        pdf.paragraph(`Your budget billing ended on ${event.on_date}${detail.endReason === 'delinquency' ? ' because budget amounts were not paid when due' : detail.endReason === 'final_bill' ? ' with the final bill for your service' : ' as you asked'}. `
          + `${deferred === 0 ? 'Your bills and budget amounts were even.' : deferred > 0 ? `The difference of ${formatCents(deferred)} between your bills and the budget amounts is now due.` : `You had paid ${formatCents(-deferred)} ahead; it has been credited to your account.`} `
          + 'From now on each bill is due as billed.');
        break;
    }
    pdf.keyValues([
      ['Account', account.accountNumber],
      ['Budget amount', after !== null ? `${formatCents(after)} a month` : before !== null ? `was ${formatCents(before)} a month` : ''],
      ['Difference so far', formatCents(deferred)],
      ['Settle-up month', monthName(plan.settle_month)],
    ]);
    pdf.paragraph(`If you have questions, or need help through an energy-assistance program, please call us at ${meta.utilityPhone}.\n\n${meta.utilityName}\n${meta.utilityAddress.join('\n')}`);
  });
}
