import { useState, type ReactNode } from 'react';
import { api } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader, StatusBadge, SuccessBanner } from '../components/ui.tsx';
import { ClaimActionDialog, ClaimDialog, ClaimsTable, CloseDialog, DeceasedBadge, EstateDialog, sourceLabel, TransferDialog, type ClaimAction } from '../deceased/parts.tsx';
import { formatCents, formatTimestamp } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { DeceasedCase } from '../types.ts';

type Dialog = 'estate' | 'claim' | 'transfer' | 'close' | null;

/**
 * A deceased case: how the district heard, the estate (with the claim deadline), the accounts and
 * what they owe, the claims against the estate with their deadline and steps, and the service
 * transferred to a survivor with its orders. CSR IIs record the estate, make and file claims and
 * transfer the service; a supervisor writes off what the estate does not pay.
 */
export function DeceasedCasePage({ id }: { id: number }) {
  const loaded = useApi(`deceased-case:${id}`, (signal) => api.get<DeceasedCase>(`/deceased/cases/${id}`, undefined, signal));
  const canAct = useCan('csr2');
  const canWriteOff = useCan('supervisor');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [acting, setActing] = useState<ClaimAction | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const c = loaded.data;
  useTitle(c ? `Deceased: ${c.customerName}` : undefined);
  if (loaded.error) return <LoadError error={loaded.error} retry={loaded.reload} />;
  if (!c) return <Loading what="Loading the case" />;
  const live = c.status !== 'closed';
  const open = (d: Dialog) => { setDone(null); setDialog(d); };
  const saved = (text: string) => { setDialog(null); setActing(null); setDone(text); loaded.reload(); };
  const e = c.estate;
  return (
    <div data-testid="deceased-case-page">
      <PageHeader
        title={<>Estate of {c.customerName} <span className="account-number">case {c.id}</span></>}
        subtitle={
          <ul className="inline-facts" aria-label="Case summary">
            <li><DeceasedBadge status={c.status} testId="deceased-case-status" /></li>
            <li>{sourceLabel(c.source)}</li>
            <li>Died {c.dateOfDeath ?? 'date not known'}</li>
          </ul>
        }
        actions={live && canAct && (
          <>
            <button type="button" onClick={() => open('estate')} data-testid="edit-estate">Estate</button>
            <button type="button" onClick={() => open('claim')} data-testid="new-claim">Claim</button>
            <button type="button" onClick={() => open('transfer')} data-testid="transfer-service">Transfer service</button>
            <button type="button" onClick={() => open('close')} data-testid="close-deceased">Close</button>
          </>
        )}
      />
      <SuccessBanner message={done} testId="deceased-case-done" />
      <div className="card-row">
        <Card title="Notice" testId="deceased-notice">
          <Facts
            items={[
              ['Customer', <Link to={`/customers/${c.customerId}`}>{c.customerName}</Link>],
              ['Date of death', c.dateOfDeath ?? '—'],
              ['Notified', `${c.notifiedOn}${c.notifiedBy ? ` by ${c.notifiedBy}` : ''}${c.relationship ? ` (${c.relationship})` : ''}`],
              ...(c.paymentId ? [['Returned payment', <Link to={`/payments/${c.paymentId}`}>Payment {c.paymentId}</Link>] as [string, ReactNode]] : []),
              ['Recorded', formatTimestamp(c.createdAt)],
              ...(c.closedOn ? [['Closed', `${c.closedOn}: ${c.closeReason ?? ''}`] as [string, string]] : []),
            ]}
          />
        </Card>
        <Card title="Estate" testId="deceased-estate">
          <Facts
            items={[
              ['Personal representative', <span data-testid="estate-representative">{[e.representativeName, e.representativeAddress, e.representativePhone].filter(Boolean).join(', ') || '—'}</span>],
              ['Probate', [e.probateCourt, e.probateCaseNumber].filter(Boolean).join(', no. ') || '—'],
              ['Attorney', e.estateAttorney ?? '—'],
              ['Notice first published', e.firstPublicationOn ?? '—'],
              ['Claims due by', <strong data-testid="estate-claim-deadline">{e.claimDeadline ?? 'not yet (no publication recorded)'}</strong>],
            ]}
          />
        </Card>
      </div>
      <Card title="Accounts" testId="deceased-accounts">
        <DataTable
          columns={[
            { header: 'Account', cell: (a) => <Link to={`/accounts/${a.accountId}`} className="mono">{a.accountNumber}</Link> },
            { header: 'Status', cell: (a) => <StatusBadge status={a.status} /> },
            { header: 'Balance', className: 'num nowrap', cell: (a) => <span data-testid="deceased-account-balance">{formatCents(a.balanceCents)}</span> },
          ]}
          rows={c.accounts}
          rowKey={(a) => a.accountId}
        />
      </Card>
      <Card title="Claims against the estate" testId="deceased-claims">
        {c.claims.length === 0 ? <Empty>No claims yet.</Empty> : <ClaimsTable claims={c.claims} canAct={canAct && live} canWriteOff={canWriteOff} onAct={(a) => { setDone(null); setActing(a); }} />}
      </Card>
      <Card title="Service transferred to a survivor" testId="deceased-transfers">
        {c.transfers.length === 0 ? <Empty>No transfer.</Empty> : c.transfers.map((t) => (
          <div key={t.id} data-testid="transfer">
            <p className="small">
              To <Link to={`/customers/${t.survivorCustomerId}`}>{t.survivorName}</Link> on new account <Link to={`/accounts/${t.survivorAccountId}`} className="mono" data-testid="survivor-account">{t.survivorAccountNumber}</Link>; the deceased's service ends {t.lastDay}. {t.reason}
            </p>
            <DataTable
              columns={[
                { header: 'Order', cell: (o) => <Link to={`/service-orders/${o.id}`} className="mono">{o.number}</Link> },
                { header: 'Type', cell: (o) => o.type.replace('_', '-') },
                { header: 'Effective', className: 'nowrap', cell: (o) => o.effectiveDate },
                { header: 'Status', cell: (o) => <span data-testid="transfer-order-status"><StatusBadge status={o.status} /></span> },
              ]}
              rows={t.orders}
              rowKey={(o) => o.id}
              testId="transfer-orders"
            />
          </div>
        ))}
      </Card>
      {live && canAct && (
        <>
          <EstateDialog c={c} open={dialog === 'estate'} onClose={() => setDialog(null)} onSaved={(x) => saved(`Estate recorded${x.estate.claimDeadline ? `: claims are due by ${x.estate.claimDeadline}` : ''}.`)} />
          <ClaimDialog c={c} open={dialog === 'claim'} onClose={() => setDialog(null)} onSaved={(k) => saved(`Claim ${k.id} of ${formatCents(k.amountCents)} made (draft)${k.deadline ? `; file it by ${k.deadline}` : ''}.`)} />
          <TransferDialog c={c} open={dialog === 'transfer'} onClose={() => setDialog(null)} onSaved={() => saved('Service transfer ordered: the move-out and move-in orders wait for the field.')} />
          <CloseDialog c={c} open={dialog === 'close'} onClose={() => setDialog(null)} onSaved={() => saved('Case closed.')} />
          <ClaimActionDialog action={acting} onClose={() => setActing(null)} onSaved={(k) => saved(`Claim ${k.id} is ${k.status.replace('_', ' ')}.`)} />
        </>
      )}
    </div>
  );
}
