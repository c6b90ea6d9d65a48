/**
 * Puts together a customer's statement (statement.ts renders it): the bills one run made for an
 * account, with the account, the service addresses, the reads, 13 months of use and the ledger
 * since the previous bill. A workflow over the customer, premise, meter-read and ledger faces.
 */
import { budget } from '../budget/index.ts';
import { customers } from '../customer/index.ts';
import { ledger } from '../ledger/index.ts';
import { meterReads } from '../meter-read/index.ts';
import { addDays } from '../platform/dates.ts';
import { formatCents } from '../platform/money.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import { premises } from '../premise/index.ts';
import { tariffs } from '../tariff/index.ts';
import { unpackLines } from './lines.ts';
import * as repo from './repository.ts';
import { printVendorFile, statementPdf, type Statement, type StatementService } from './statement.ts';

/** The next true-up day (MM-DD, April 30 by default under RCW 80.60) on or after a day. */
const nextTrueUp = (date: string, monthDay: string) => (date.slice(5) <= monthDay ? `${date.slice(0, 4)}-${monthDay}` : `${Number(date.slice(0, 4)) + 1}-${monthDay}`);

type Utility = Pick<Config, 'utilityName' | 'utilityAddress' | 'utilityPhone' | 'utilityWeb'>;

const addressLines = (a: { line1: string; line2: string | null; city: string; state: string; postalCode: string }) =>
  [a.line1, ...(a.line2 ? [a.line2] : []), `${a.city} ${a.state} ${a.postalCode}`];

/** The statement that carries a bill: every posted bill of its account from the same run (or the bill alone). */
export async function statementOfBill(db: Db, config: Utility, billId: number): Promise<Statement> {
  const bill = await repo.findBill(db, billId);
  if (!bill) throw notFound('Bill', billId);
  const bills = bill.status === 'posted' ? (await repo.statementBills(db, bill)).filter((b) => b.status === 'posted') : [bill];
  const account = await customers.getAccount(db, bill.account_id);
  const customer = await customers.getCustomer(db, account.customerId);
  const services = new Map((await premises.servicesOfAccount(db, account.id)).map((s) => [s.agreement.id, s]));

  const statementServices: StatementService[] = [];
  for (const b of bills) {
    const s = services.get(b.agreement_id);
    let previousRead: StatementService['previousRead'] = null;
    let currentRead: StatementService['currentRead'] = null;
    if (s && b.service !== 'fiber') {
      const reads = await meterReads.readsOfServicePoint(db, s.servicePoint.id, { from: addDays(b.period_from, -62), to: b.period_to, limit: 20 });
      const current = reads.filter((r) => r.readDate <= b.period_to && r.readDate >= b.period_from).sort((x, y) => y.readDate.localeCompare(x.readDate))[0];
      const previous = reads.filter((r) => r.readDate < b.period_from).sort((x, y) => y.readDate.localeCompare(x.readDate))[0];
      if (current) currentRead = { date: current.readDate, reading: current.reading, estimated: current.readType === 'estimated' };
      if (previous) previousRead = { date: previous.readDate, reading: previous.reading };
    }
    const history = b.service === 'fiber' ? [] : (await repo.usageHistory(db, b.agreement_id, b.period_to, 13)).map((h) => ({ label: h.period_to.slice(0, 7), usage: h.usage ?? '0' }));
    const lines = unpackLines(b.lines).map((l) => ({ code: l.code, description: l.description, kind: l.kind, quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice, amountCents: l.amountCents }));
    statementServices.push({
      service: b.service, rateCode: b.rate_code, periodFrom: b.period_from, periodTo: b.period_to,
      meterSerial: s?.meter?.serial ?? null, previousRead, currentRead, multiplier: s?.meter?.multiplier ?? null,
      usage: b.usage, usageUnit: b.usage_unit, lines, totalCents: Number(b.total_cents), history,
      ...((b.banked_kwh !== null && Number(b.banked_kwh) > 0) || (b.received_kwh !== null && Number(b.received_kwh) > 0)
        ? { netMetering: { deliveredKwh: b.usage ?? '0', receivedKwh: b.received_kwh ?? '0', bankedKwh: b.banked_kwh ?? '0', trueUpDate: nextTrueUp(b.period_to, (await trueUpOf(db, b.rate_code))) } }
        : {}),
    });
  }

  // The ledger since the previous bill: what was owed then, what moved since, and this bill.
  const billIds = new Set(bills.map((b) => b.id));
  const lastBillDate = await repo.previousBillDate(db, account.id, bill.bill_date);
  const previousBalanceCents = lastBillDate ? await ledger.balanceAsOf(db, account.id, lastBillDate) : 0;
  const since = await ledger.entriesBetween(db, account.id, lastBillDate ?? '0001-01-01', bill.bill_date);
  // Payments received since the last bill; every other entry but this statement's own bills is an
  // adjustment (fees, returned payments, budget billing's entries, which the budget box explains).
  const others = since.filter((e) => !(e.kind === 'bill' && e.billId !== null && billIds.has(e.billId)));
  const paymentsCents = others.filter((e) => e.kind === 'payment').reduce((n, e) => n + e.amountCents, 0);
  const adjustmentsCents = others.filter((e) => e.kind !== 'payment').reduce((n, e) => n + e.amountCents, 0);
  const budgetCents = others.filter((e) => e.kind === 'budget').reduce((n, e) => n + e.amountCents, 0);
  const budgetBox = bill.status === 'posted' ? await budget.statementBudget(db, account.id, bill.bill_date) : null;
  const currentChargesCents = statementServices.reduce((n, s) => n + s.totalCents, 0);

  const messages: string[] = [];
  if (statementServices.some((s) => s.currentRead?.estimated)) messages.push('E: this read was estimated because the meter could not be read. Your next bill will use an actual read and correct any difference.');
  if (bills.some((b) => b.final)) messages.push('This is your final bill for the service that ended. Any credit will be refunded or applied to another account of yours.');
  if (bill.status !== 'posted') messages.push(`Preview: this bill is ${bill.status} and has not been sent.`);
  if (budgetBox) {
    messages.push(`Budget billing: you pay ${formatCents(budgetBox.monthlyCents)} a month instead of your charges (${formatCents(budgetBox.billedCents)} this month). `
      + (budgetBox.settleUpCents !== 0 ? `This bill settles the year's difference of ${formatCents(budgetBox.settleUpCents)}. ` : '')
      + (budgetBox.endedCents !== 0 ? `Budget billing has ended: the difference of ${formatCents(budgetBox.endedCents)} is on this bill. ` : '')
      + `Difference carried: ${formatCents(budgetBox.deferredCents)}${budgetBox.deferredCents > 0 ? ' (charges beyond your budget amounts)' : budgetBox.deferredCents < 0 ? ' (paid ahead)' : ''}.`);
  }

  const premise = [...services.values()].find((s) => s.agreement.id === bill.agreement_id)?.premise;
  return {
    utility: { name: config.utilityName, address: config.utilityAddress, phone: config.utilityPhone, web: config.utilityWeb },
    accountNumber: account.accountNumber,
    customerName: customer.displayName,
    billingAddress: [customer.displayName, ...addressLines(account.billingAddress)],
    serviceAddress: premise ? addressLines(premise.address).join(', ') : '',
    billDate: bill.bill_date,
    dueDate: bill.due_date,
    previousBalanceCents,
    paymentsCents,
    adjustmentsCents,
    currentChargesCents,
    amountDueCents: previousBalanceCents + paymentsCents + adjustmentsCents + currentChargesCents,
    services: statementServices,
    ...(budgetBox ? { budget: { monthlyCents: budgetBox.monthlyCents, billedCents: budgetBox.billedCents, entriesCents: budgetCents, deferredCents: budgetBox.deferredCents } } : {}),
    messages,
    billIds: [...billIds],
  };
}

async function trueUpOf(db: Db, rateCode: string): Promise<string> {
  return (await tariffs.versionsByCode(db, [rateCode])).get(rateCode)?.at(-1)?.netMetering?.trueUpDate ?? '04-30';
}

export async function billPdf(db: Db, config: Utility & Pick<Config, 'timeZone'>, billId: number, generatedAt: Date): Promise<Buffer> {
  return statementPdf(await statementOfBill(db, config, billId), { generatedAt, timeZone: config.timeZone });
}

/** The print vendor's batch file of a run: one statement per account with posted bills. */
export async function runPrintFile(db: Db, config: Utility, runId: number, generatedAt: Date): Promise<string> {
  if (!(await repo.findRun(db, runId))) throw notFound('Billing run', runId);
  const statements: Statement[] = [];
  for (let after = 0; ;) {
    const page = await repo.accountsOfRun(db, runId, after, 500);
    for (const a of page) statements.push(await statementOfBill(db, config, Number(a.bill_id)));
    if (page.length < 500) break;
    after = page.at(-1)!.account_id;
  }
  return printVendorFile(statements, { runId, generatedAt });
}
