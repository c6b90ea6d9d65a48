import { humanize } from '../format.ts';
import type { PaymentChannel, PaymentImportKind } from '../types.ts';

/** Words and badges for payments, batches, returns and autopay, in the look of StatusBadge. */

export const methodLabels: Record<string, string> = {
  cash: 'Cash',
  check: 'Check',
  card: 'Card',
  ach: 'ACH',
  wire: 'Wire',
  obi: 'Online bill-pay',
};
export const methodLabel = (method: string) => methodLabels[method] ?? humanize(method);

export const channelLabels: Record<PaymentChannel, string> = {
  counter: 'Counter',
  mail: 'Mail',
  lockbox: 'Lockbox',
  card: 'Web / IVR card',
  obi: 'Online bill-pay',
  wire: 'Wire',
  ach: 'ACH autopay',
  agency: 'Agency',
};
export const channelLabel = (channel: string) => channelLabels[channel as PaymentChannel] ?? humanize(channel);

/** How a payment found its account. */
export const matchedByLabels: Record<string, string> = {
  account_number: 'Account number',
  name_address: 'Name and address',
  staff: 'Staff',
};

/** Reason codes of a returned check keyed by staff (src/payment/returns.ts KEYED_RETURN_REASONS). */
export const keyedReturnReasons = [
  { value: 'NSF', label: 'NSF: Insufficient funds' },
  { value: 'CLOSED', label: 'CLOSED: Account closed' },
  { value: 'STOP', label: 'STOP: Payment stopped' },
  { value: 'FORGERY', label: 'FORGERY: Forged or unauthorized' },
  { value: 'OTHER', label: 'OTHER: Other (explain in the reason)' },
] as const;

/** Reason codes of a card chargeback (src/payment/returns.ts CHARGEBACK_REASONS). */
export const chargebackReasons = [
  { value: 'FRAUD', label: 'FRAUD: Cardholder says the payment was not authorized' },
  { value: 'DISPUTE', label: 'DISPUTE: Cardholder disputes the payment' },
  { value: 'PROCESSING', label: 'PROCESSING: Processing error' },
] as const;

export const returnSourceLabels: Record<string, string> = {
  ach: 'ACH return',
  x937: 'Returned check (X9.37 file)',
  keyed: 'Returned check (keyed)',
  chargeback: 'Card chargeback',
};

/** The files the import takes, what each is, and which take a column layout. */
export const importKinds: { value: PaymentImportKind; label: string; layouts: boolean; accept: string }[] = [
  { value: 'lockbox-csv', label: 'Lockbox export (CSV)', layouts: true, accept: '.csv,.txt,text/csv,text/plain' },
  { value: 'lockbox', label: 'Lockbox transmission (fixed width)', layouts: true, accept: '.txt,.dat,.lbx,text/plain' },
  { value: 'card', label: 'Card / web / IVR settlement report (CSV)', layouts: true, accept: '.csv,.txt,text/csv,text/plain' },
  { value: 'obi', label: 'Online bill-pay remittance (CSV)', layouts: true, accept: '.csv,.txt,text/csv,text/plain' },
  { value: 'bai2', label: 'Bank BAI2 report', layouts: false, accept: '.bai,.bai2,.txt,text/plain' },
  { value: 'ach-returns', label: 'ACH returns and notifications of change (NACHA)', layouts: false, accept: '.ach,.txt,text/plain' },
  { value: 'x937-returns', label: 'Returned checks (X9.37)', layouts: false, accept: '.x937,.x9,.icl,.dat,application/octet-stream' },
];
export const importKindLabel = (kind: string) => importKinds.find((k) => k.value === kind)?.label ?? kind;

const tone: Record<string, string> = {
  // payments
  posted: 'good',
  suspense: 'warn',
  reversed: 'muted',
  // batches
  open: 'info',
  closed: 'muted',
  // autopay
  prenote: 'info',
  active: 'good',
  removed: 'muted',
};

export function PaymentBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`badge badge-${tone[status] ?? 'muted'}`} data-testid={testId}>
      {status === 'suspense' ? 'In suspense' : humanize(status)}
    </span>
  );
}

/** A returned payment's follow-up: open (to do) or resolved. */
export function ReturnBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`badge badge-${status === 'open' ? 'bad' : 'good'}`} data-testid={testId}>
      {status === 'open' ? 'Open' : 'Followed up'}
    </span>
  );
}
