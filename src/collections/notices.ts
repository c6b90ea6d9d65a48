/**
 * Collection notices: what each says (kept with the notice when it is made, so a reprint says the
 * same), its PDF, and the print vendor's batch file of a run's notices. A disconnect notice says
 * what the law asks (GUIDE 3.2): the amount, the first day service may be disconnected, how to
 * avoid it, where to find help paying, and how to claim medical, winter and extreme-heat
 * protection.
 */
import { centsToDecimal, formatCents } from '../platform/money.ts';
import { csvText } from '../platform/csv.ts';
import { renderPdf } from '../platform/pdf.ts';

export type NoticeKind = 'past_due' | 'disconnect' | 'final';

export interface NoticeContent {
  title: string;
  accountNumber: string;
  customerName: string;
  address: string[];
  date: string;
  pastDueCents: number;
  balanceCents: number;
  disconnectFrom: string | null;
  /** Paragraphs, in order. */
  body: string[];
}

export interface NoticeInput {
  kind: NoticeKind;
  date: string;
  accountNumber: string;
  customerName: string;
  address: { line1: string; line2: string | null; city: string; state: string; postalCode: string };
  pastDueCents: number;
  balanceCents: number;
  disconnectFrom: string | null;
  utility: { name: string; phone: string; address: string[] };
  assistanceText: string;
  medical: { noticeBusinessDays: number; certificateDays: number; paymentPercent: number };
}

export function noticeContent(n: NoticeInput): NoticeContent {
  const due = formatCents(n.pastDueCents);
  const call = `call us at ${n.utility.phone}`;
  const address = [n.customerName, n.address.line1, ...(n.address.line2 ? [n.address.line2] : []), `${n.address.city} ${n.address.state} ${n.address.postalCode}`];
  const common = { accountNumber: n.accountNumber, customerName: n.customerName, address, date: n.date, pastDueCents: n.pastDueCents, balanceCents: n.balanceCents, disconnectFrom: n.disconnectFrom };
  if (n.kind === 'past_due') {
    return {
      ...common, title: 'Past-due notice',
      body: [
        `Our records show ${due} on your account is past due. Your balance is ${formatCents(n.balanceCents)}.`,
        `Please pay the past-due amount now. If you cannot, ${call}: we can set up a payment arrangement.`,
        n.assistanceText,
        'If you have paid in the last few days, thank you, and please disregard this notice.',
      ],
    };
  }
  const when = n.disconnectFrom ?? '';
  const protections = [
    `Medical emergency: if disconnection would aggravate an existing medical condition of someone in your home, tell us. We will postpone disconnection ${n.medical.noticeBusinessDays} business days; a written certificate from a licensed medical professional holds it up to ${n.medical.certificateDays} days once you pay ${n.medical.paymentPercent}% of the delinquent balance.`,
    'Winter protection (RCW 54.16.285): from November 15 to March 15, if you heat your home with our service, we will not disconnect you if, within five business days of this notice, you ask us for winter protection, document your household income to a grantee of the Department of Commerce, apply for energy assistance and weatherization, and keep a payment plan of no more than 7% of your monthly income plus one-twelfth of the arrears, paid in full by the next October 15.',
    'Extreme heat: we do not disconnect residential service for non-payment on any day a heat-related alert is in force for your area. If your service is off during an alert, ask and we will reconnect it.',
  ];
  if (n.kind === 'disconnect') {
    return {
      ...common, title: 'Notice of disconnection',
      body: [
        `${due} on your account is past due. Unless it is paid, your service may be disconnected for non-payment on or after ${when}. Your balance is ${formatCents(n.balanceCents)}.`,
        `To avoid disconnection: pay ${due} before ${when} at our office, by mail, by phone or online; or ${call} before that day to make a payment arrangement. A reconnection after disconnection carries a fee.`,
        `Help paying: ${n.assistanceText}`,
        ...protections,
        `If you dispute this amount, ${call}; we will not disconnect service for an amount in dispute while we look into it.`,
      ],
    };
  }
  return {
    ...common, title: 'Final notice: disconnection in 48 hours',
    body: [
      `${due} is past due and your service may be disconnected on or after ${when}. This notice was left at your door.`,
      `Pay ${due} now, or ${call} today to make a payment arrangement. A field visit fee has been charged.`,
      `Help paying: ${n.assistanceText}`,
      ...protections,
    ],
  };
}

export function noticePdf(c: NoticeContent, meta: { utilityName: string; utilityPhone: string; utilityAddress: string[]; timeZone: string; generatedAt: Date }): Promise<Buffer> {
  return renderPdf({ title: c.title, subtitle: `Account ${c.accountNumber}, ${c.date}`, utilityName: meta.utilityName, generatedAt: meta.generatedAt, timeZone: meta.timeZone }, (pdf) => {
    pdf.paragraph(c.address.join('\n'));
    pdf.table([{ header: 'Past due', width: 120, align: 'right' }, { header: 'Balance', width: 120, align: 'right' }, { header: 'Disconnection on or after', width: 200 }],
      [[formatCents(c.pastDueCents), formatCents(c.balanceCents), c.disconnectFrom ?? '-']]);
    for (const p of c.body) pdf.paragraph(p);
    pdf.paragraph(`${meta.utilityName}\n${meta.utilityAddress.join('\n')}\n${meta.utilityPhone}`);
  });
}

/** The print vendor's batch of a run's notices: one row per notice, addressed, with its amounts and dates (cents as dollars). */
export function printBatch(notices: { id: number; kind: NoticeKind; delivery: string; content: NoticeContent }[]): string {
  const header = ['notice_id', 'kind', 'delivery', 'account_number', 'name', 'address_1', 'address_2', 'address_3', 'address_4', 'notice_date', 'past_due', 'balance', 'disconnect_on_or_after'];
  return csvText([header, ...notices.map((n) => {
    const a = n.content.address.slice(1);
    return [String(n.id), n.kind, n.delivery, n.content.accountNumber, n.content.customerName, a[0] ?? '', a[1] ?? '', a[2] ?? '', a[3] ?? '', n.content.date,
      centsToDecimal(n.content.pastDueCents), centsToDecimal(n.content.balanceCents), n.content.disconnectFrom ?? ''];
  })]);
}
