import { DataTable, type Column } from '../components/DataTable.tsx';
import { formatCents, humanize } from '../format.ts';
import type { ArrangementInstalment, ArrangementKind, ArrangementStanding, ArrangementStatus, Protection, ProtectionKind } from '../types.ts';

/** Words and pieces of protections and arrangements shared by the account's card and the pages. */

export const kindLabels: Record<ProtectionKind, string> = {
  medical_notice: 'Medical notice',
  medical_certificate: 'Medical certificate',
  winter: 'Winter protection',
  heat_alert: 'Heat alert',
  pledge: 'Assistance pledge',
  arrangement: 'Payment arrangement',
  dispute: 'Dispute',
};
const kindTone: Record<ProtectionKind, string> = { medical_notice: 'warn', medical_certificate: 'warn', winter: 'info', heat_alert: 'bad', pledge: 'info', arrangement: 'good', dispute: 'muted' };
const holdLabels: Record<Protection['holds'][number], string> = { notice: 'No notices', disconnect: 'No disconnection', late_fee: 'No late fees' };

export function ProtectionKindBadge({ kind }: { kind: ProtectionKind }) {
  return <span className={`badge badge-${kindTone[kind]}`} data-testid="protection-kind">{kindLabels[kind] ?? humanize(kind)}</span>;
}

const protectionColumns: Column<Protection>[] = [
  { header: 'Protection', className: 'nowrap', cell: (p) => <ProtectionKindBadge kind={p.kind} /> },
  { header: 'Why', cell: (p) => <span data-testid="protection-detail">{p.detail}</span> },
  { header: 'From', className: 'nowrap', cell: (p) => p.from },
  { header: 'Until', className: 'nowrap', cell: (p) => <span data-testid="protection-until">{p.until ?? <span className="muted">while open</span>}</span> },
  {
    header: 'Holds back',
    cell: (p) => (
      <span className="badge-row" data-testid="protection-holds">
        {p.holds.map((h) => <span key={h} className="badge badge-info">{holdLabels[h]}</span>)}
        {p.disputedCents !== undefined && <span className="badge badge-muted">{formatCents(p.disputedCents)} not collected</span>}
      </span>
    ),
  },
];

/** The protections in force: what each holds back, why, and its dates. */
export function ProtectionTable({ items, testId = 'protections-table' }: { items: Protection[]; testId?: string }) {
  return <DataTable columns={protectionColumns} rows={items} rowKey={(p) => `${p.kind}:${p.id ?? p.from}`} testId={testId} />;
}

const statusTone: Record<ArrangementStatus, string> = { active: 'info', completed: 'good', defaulted: 'bad', cancelled: 'muted' };
export const arrangementKindLabel = (kind: ArrangementKind | string) => (kind === 'winter' ? 'Winter plan' : 'Standard');

export function ArrangementStatusBadge({ status }: { status: ArrangementStatus | string }) {
  return <span className={`badge badge-${statusTone[status as ArrangementStatus] ?? 'muted'}`} data-testid="arrangement-status">{humanize(status)}</span>;
}

/** Where an active arrangement stands today: in good standing, or behind by so much. */
export function StandingBadge({ standing }: { standing: ArrangementStanding | null }) {
  if (!standing) return <span className="muted">—</span>;
  return standing.goodStanding ? (
    <span className="badge badge-good" data-testid="arrangement-standing" title={`${formatCents(standing.paidCents)} paid of ${formatCents(standing.owedCents)} owed`}>In good standing</span>
  ) : (
    <span className="badge badge-bad" data-testid="arrangement-standing">Behind {formatCents(standing.shortCents)}</span>
  );
}

const instalmentColumns: Column<ArrangementInstalment>[] = [
  { header: 'Instalment', className: 'nowrap', cell: (i) => i.n },
  { header: 'Due', className: 'nowrap', cell: (i) => <span data-testid="instalment-due">{i.dueOn}</span> },
  { header: 'Amount', className: 'num nowrap', cell: (i) => <span data-testid="instalment-amount">{formatCents(i.amountCents)}</span> },
];

/** An arrangement's instalments on the arrears (current bills are due as usual, beside them). */
export function InstalmentTable({ instalments, testId = 'instalments-table' }: { instalments: ArrangementInstalment[]; testId?: string }) {
  const total = instalments.reduce((n, i) => n + i.amountCents, 0);
  return (
    <>
      <DataTable columns={instalmentColumns} rows={instalments} rowKey={(i) => i.n} testId={testId} className="table-narrow" />
      <p className="small muted" data-testid="instalments-total">{instalments.length} instalment{instalments.length === 1 ? '' : 's'}, {formatCents(total)} in all, on top of the current bills as they fall due.</p>
    </>
  );
}
