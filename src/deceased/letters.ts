/**
 * The creditor's claim against a deceased customer's estate, as PDF (RCW 11.40.070: the claimant,
 * the amount and what it is for, signed by the claimant), to present to the personal
 * representative and file with the probate court by the deadline it names.
 */
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import { formatCents } from '../platform/money.ts';
import { renderPdf } from '../platform/pdf.ts';
import { getCase, getClaim } from './service.ts';

type Meta = Pick<Config, 'utilityName' | 'utilityAddress' | 'utilityPhone' | 'timeZone'>;

export async function creditorClaimPdf(db: Db, clock: Clock, meta: Meta, claimId: number): Promise<Buffer> {
  const claim = await getClaim(db, clock, claimId);
  const c = await getCase(db, clock, claim.caseId);
  const e = c.estate;
  const dash = '—';
  return renderPdf({ title: "Creditor's claim", subtitle: `Estate of ${c.customerName}${e.probateCaseNumber ? `, no. ${e.probateCaseNumber}` : ''}`, utilityName: meta.utilityName, generatedAt: clock.now(), timeZone: meta.timeZone }, (pdf) => {
    pdf.keyValues([
      ['Court', e.probateCourt ?? dash],
      ['Probate case', e.probateCaseNumber ?? dash],
      ['Estate of', `${c.customerName}${c.dateOfDeath ? `, deceased ${c.dateOfDeath}` : ''}`],
      ['Personal representative', [e.representativeName, e.representativeAddress, e.representativePhone].filter(Boolean).join(', ') || dash],
      ['Attorney for the estate', e.estateAttorney ?? dash],
      ['Notice first published', e.firstPublicationOn ?? dash],
      ['Last day to present this claim', claim.deadline ?? dash],
    ]);
    pdf.heading('Claimant');
    pdf.paragraph(`${meta.utilityName}\n${meta.utilityAddress.join('\n')}\n${meta.utilityPhone}`);
    pdf.heading('Claim');
    pdf.paragraph(`The claimant claims ${formatCents(claim.amountCents)} from the estate for utility service supplied to ${c.customerName} on account ${claim.accountNumber}, unpaid at the date of this claim. `
      + 'The amount is due; it is not contingent and not secured. A statement of the account is attached.');
    pdf.keyValues([['Amount claimed', formatCents(claim.amountCents)], ['Account', claim.accountNumber], ['Claim', `${claim.id} (${claim.status}${claim.filedOn ? `, filed ${claim.filedOn}` : ''})`]]);
    pdf.blankLines('Signed for the claimant, and date', 2);
  });
}
