import { apiUrl } from '../api.ts';
import { humanize } from '../format.ts';
import { Link } from '../router.tsx';
import type { CollectionStep } from '../types.ts';

/** Words and small pieces of collections shared by the queue, the runs, the settings and the account card. */

export const dash = <span className="muted">—</span>;

/** What the run (or staff) did: the server's action kinds in words. */
const actionLabels: Record<string, string> = {
  late_fee: 'Late fee',
  past_due_notice: 'Past-due notice',
  disconnect_notice: 'Disconnect notice',
  final_notice: '48-hour notice',
  disconnect_order: 'Disconnect order',
  final_bill: 'Final bill',
  reconnect_order: 'Reconnect order',
  order_cancelled: 'Order cancelled',
  case_opened: 'Case opened',
  case_closed: 'Case closed',
  skipped: 'Passed over (protected)',
};
const actionTone: Record<string, string> = {
  late_fee: 'warn',
  past_due_notice: 'info',
  disconnect_notice: 'warn',
  final_notice: 'warn',
  disconnect_order: 'bad',
  final_bill: 'bad',
  reconnect_order: 'good',
  order_cancelled: 'muted',
  case_opened: 'info',
  case_closed: 'good',
  skipped: 'muted',
};
export const actionLabel = (action: string) => actionLabels[action] ?? humanize(action);

export function ActionBadge({ action, testId = 'collections-action' }: { action: string; testId?: string }) {
  return (
    <span className={`badge badge-${actionTone[action] ?? 'muted'}`} data-testid={testId} data-action={action}>
      {actionLabel(action)}
    </span>
  );
}

/** What holds collection back on an account (src/collections/holds.ts's kinds). */
const holdLabels: Record<string, string> = {
  medical_notice: 'Medical emergency (told)',
  medical_certificate: 'Medical certificate',
  winter: 'Winter protection',
  heat_alert: 'Extreme-heat alert',
  pledge: 'Energy-assistance pledge',
  arrangement: 'Payment arrangement',
  dispute: 'Amount in dispute',
  bankruptcy_stay: 'Bankruptcy stay',
  deceased: 'Deceased customer',
};
export const holdLabel = (kind: string) => holdLabels[kind] ?? humanize(kind);

/** What a hold stops: notices, disconnection, late fees. */
const heldLabels: Record<string, string> = { notice: 'notices', disconnect: 'disconnection', late_fee: 'late fees' };

/** A hold (or a protection that held a step): its kind, its detail, until when, what it holds back. */
export interface HoldLike {
  kind: string;
  detail: string;
  until: string | null;
  holds?: readonly string[];
  exemptCents?: number;
}

export function HoldList({ holds, testId = 'collections-holds' }: { holds: readonly HoldLike[]; testId?: string }) {
  if (holds.length === 0) return dash;
  return (
    <ul className="alert-list" data-testid={testId}>
      {holds.map((h, i) => (
        <li key={`${h.kind}:${i}`} className="small" data-testid="collections-hold" data-kind={h.kind}>
          <span className="badge badge-warn">{holdLabel(h.kind)}</span> <span data-testid="collections-hold-detail">{h.detail}</span>
          {h.until && <span className="muted"> · until {h.until}</span>}
          {h.holds && h.holds.length > 0 && <span className="muted"> · holds {h.holds.map((x) => heldLabels[x] ?? x).join(', ')}</span>}
        </li>
      ))}
    </ul>
  );
}

/** Notice kinds and how they go out. */
const noticeLabels: Record<string, string> = { past_due: 'Past-due notice', disconnect: 'Disconnect notice', final: '48-hour notice' };
export const noticeLabel = (kind: string) => noticeLabels[kind] ?? humanize(kind);
const deliveryLabels: Record<string, string> = { mail: 'Mailed', door_hanger: 'Door hanger' };
export const deliveryLabel = (delivery: string) => deliveryLabels[delivery] ?? humanize(delivery);

/** A notice as the customer gets it (PDF, opens in a new tab). */
export function NoticeLink({ id, kind, testId = 'notice-pdf' }: { id: number; kind: string; testId?: string }) {
  return (
    <a href={apiUrl(`/collections/notices/${id}/pdf`)} target="_blank" rel="noopener" data-testid={testId} aria-label={`${noticeLabel(kind)} ${id} (PDF, opens in a new tab)`}>
      Notice {id} ↗
    </a>
  );
}

/** The service orders an action made or cancelled, each a link. */
export function OrderLinks({ ids }: { ids: readonly number[] }) {
  if (ids.length === 0) return dash;
  return (
    <span className="badge-row">
      {ids.map((id) => (
        <Link key={id} to={`/service-orders/${id}`} className="mono" data-testid="collections-order">
          Order {id}
        </Link>
      ))}
    </span>
  );
}

/** The print vendor's batch file of a date's notices (CSV), downloaded. */
export function PrintFileLink({ date, children }: { date: string; children?: string }) {
  return (
    <a href={apiUrl(`/collections/runs/${date}/print-file`)} download={`collection-notices-${date}.csv`} data-testid="print-file-link" aria-label={`Download the print batch file of ${date}'s notices (CSV)`}>
      {children ?? `collection-notices-${date}.csv`}
    </a>
  );
}

const anchorWords: Record<CollectionStep['anchor'], string> = { due_date: 'the due date', previous_step: 'the step before', disconnected: 'disconnection' };
/** When a step comes: `3 business days after the due date`. */
export function stepDay(s: Pick<CollectionStep, 'days' | 'dayKind' | 'anchor'>): string {
  const unit = s.dayKind === 'business' ? 'business day' : 'day';
  return `${s.days} ${unit}${s.days === 1 ? '' : 's'} after ${anchorWords[s.anchor] ?? s.anchor}`;
}

/** A step's action in words. */
const stepActionLabels: Record<CollectionStep['action'], string> = {
  late_fee: 'Late fee',
  past_due_notice: 'Past-due notice (mailed)',
  disconnect_notice: 'Disconnect notice (mailed)',
  final_notice: '48-hour notice (door hanger)',
  disconnect_order: 'Disconnect order for the field',
  final_bill: 'Final bill',
};
export const stepActionLabel = (action: string) => stepActionLabels[action as CollectionStep['action']] ?? humanize(action);
