/**
 * The pre-collection letter, as PDF: the balance left on a closed account, what happens next and
 * when (placement with a collection agency after the waiting period), how to pay, and how to
 * dispute the balance. Made once by the daily job and kept as sent.
 */
import type { Config } from '../platform/config.ts';
import { formatCents } from '../platform/money.ts';
import { renderPdf } from '../platform/pdf.ts';

export type LetterMeta = Pick<Config, 'utilityName' | 'utilityAddress' | 'utilityPhone' | 'utilityWeb' | 'timeZone'>;

export interface LetterFacts {
  accountNumber: string;
  customerName: string;
  address: { line1: string; line2: string | null; city: string; state: string; postalCode: string };
  letterDate: string;
  balanceCents: number;
  finalBillDate: string;
  finalDueDate: string;
  placeAfter: string;
  /** The agency the account would go to, when the district names it. */
  agencyName: string | null;
}

export function precollectionLetterPdf(meta: LetterMeta, generatedAt: Date, f: LetterFacts): Promise<Buffer> {
  const a = f.address;
  const agency = f.agencyName ? `our collection agency, ${f.agencyName}` : 'an outside collection agency';
  return renderPdf({ title: 'Final notice before collection', subtitle: `Account ${f.accountNumber}, ${f.letterDate}`, utilityName: meta.utilityName, generatedAt, timeZone: meta.timeZone }, (pdf) => {
    pdf.paragraph([f.customerName, a.line1, ...(a.line2 ? [a.line2] : []), `${a.city} ${a.state} ${a.postalCode}`].join('\n'));
    pdf.paragraph(`Dear ${f.customerName},`);
    pdf.paragraph(`Your service with ${meta.utilityName} has ended, and your account still owes ${formatCents(f.balanceCents)}. Your final bill of ${f.finalBillDate} was due on ${f.finalDueDate}, and we have not received payment in full.`);
    pdf.keyValues([
      ['Account', f.accountNumber],
      ['Final bill', f.finalBillDate],
      ['Was due', f.finalDueDate],
      ['Balance owed today', formatCents(f.balanceCents)],
      ['Pay or call us by', f.placeAfter],
    ]);
    pdf.heading('What happens next');
    pdf.paragraph(`If the balance is not paid, and you have not called us to arrange payment or to dispute it, by ${f.placeAfter}, we will refer your account to ${agency} on or after that day. `
      + 'The agency will then contact you to collect the balance; it may add its own charges as the law allows and may report the debt to credit bureaus. '
      + 'The balance may also be written off as bad debt and still be collected from you, and it may be moved to any other account you have with us.');
    pdf.heading('How to pay');
    pdf.paragraph([
      `By phone: call ${meta.utilityPhone}, Monday to Friday, to pay by card or bank account.`,
      `Online: ${meta.utilityWeb}.`,
      `By mail: send a check or money order payable to ${meta.utilityName}, with your account number ${f.accountNumber}, to ${meta.utilityAddress.join(', ')}.`,
      `In person: at our office, ${meta.utilityAddress.join(', ')}.`,
      'If you cannot pay the whole balance at once, call us before the date above to arrange payments.',
    ].join('\n'));
    pdf.heading('If you think this balance is wrong');
    pdf.paragraph(`Call us at ${meta.utilityPhone} or write to us at ${meta.utilityAddress.join(', ')} before ${f.placeAfter}, saying what you believe is wrong. `
      + 'We will review your account and tell you what we find; we do not refer an account to collection while we are reviewing a dispute about it.');
    pdf.paragraph(`Sincerely,\n\n${meta.utilityName}\n${meta.utilityAddress.join('\n')}\n${meta.utilityPhone}`);
  });
}
