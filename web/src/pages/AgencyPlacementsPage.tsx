import { useState } from 'react';
import { api, ApiError, apiUrl } from '../api.ts';
import { CollectionDialog, LetterLink, PlacementBadge, RecallDialog, StepText } from '../bad-debt/common.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { CheckboxField, clientError, ErrorMessage, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { formatCents, formatTimestamp } from '../format.ts';
import { useApi, usePagedQuery, useQueryFilters } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import {
  placementStatuses,
  type AgencyCollectionListItem, type BadDebtRunRecord, type BadDebtRunResult, type CollectionAgency, type FinalAccountItem, type PlacementCandidate, type PlacementFile, type PlacementFileResult,
  type PlacementListItem, type RecallFile, type RemittanceListItem, type RemittanceResult,
} from '../types.ts';

/** A file made for an agency (CSV), downloaded as it was made. */
function FileLink({ kind, file }: { kind: 'placement-files' | 'recall-files'; file: { id: number; fileName: string } }) {
  return (
    <a href={apiUrl(`/bad-debt/${kind}/${file.id}/file`)} download={file.fileName} className="mono" data-testid={`${kind === 'placement-files' ? 'placement' : 'recall'}-file-link`} aria-label={`Download ${file.fileName} (CSV)`}>
      {file.fileName}
    </a>
  );
}

// ---- the daily job ----

function RunCard({ onRan }: { onRan(): void }) {
  const canRun = useCan('supervisor');
  const runs = useApi('bad-debt-runs', (signal) => api.get<{ items: BadDebtRunRecord[] }>('/bad-debt/runs', undefined, signal));
  const [result, setResult] = useState<BadDebtRunResult | null>(null);
  const form = useSubmit(async () => {
    setResult(null);
    setResult(await api.post<BadDebtRunResult>('/bad-debt/run', {}));
    runs.reload();
    onRan();
  });
  const last = runs.data?.items[0];
  return (
    <Card title="Today's job" testId="bad-debt-run">
      {canRun && (
        <form onSubmit={form.onSubmit} noValidate>
          <ErrorMessage error={form.error} />
          <p className="small muted">Sends the pre-collection letters due, makes accounts whose waiting period is over ready to place, recalls placements of accounts under a bankruptcy or deceased alert or paid in full, and reinstates written-off money a later payment brought. Once a day: run again the same day, it does nothing.</p>
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={form.busy} data-testid="run-bad-debt-job">{form.busy ? 'Running…' : "Run today's job"}</button>
          </div>
        </form>
      )}
      {result && (
        result.alreadyRun ? (
          <p className="notice" role="status" data-testid="bad-debt-run-done">The job for {result.date} ran already ({formatTimestamp(result.firstRunAt)}): nothing was done now.</p>
        ) : (
          <p className="success-banner" role="status" data-testid="bad-debt-run-done">
            Job of {result.date}: {result.accountsReviewed} final account{result.accountsReviewed === 1 ? '' : 's'} reviewed, {result.letters} letter{result.letters === 1 ? '' : 's'} sent, {result.candidates} ready to place, {result.placed} placed, {result.recalled} recalled, {result.reinstated} reinstated ({formatCents(result.reinstatedCents)}).
          </p>
        )
      )}
      {runs.error ? <LoadError error={runs.error} retry={runs.reload} /> : last ? <p className="small muted" data-testid="bad-debt-last-run">Last run: {last.date}, by {last.ranBy} at {formatTimestamp(last.ranAt)}.</p> : runs.data ? <p className="small muted">The job has not run yet.</p> : null}
    </Card>
  );
}

// ---- final accounts and candidates ----

const finalColumns: Column<FinalAccountItem>[] = [
  { header: 'Account', cell: (a) => <><Link to={`/accounts/${a.accountId}`} className="mono">{a.accountNumber}</Link><div className="small">{a.customerName}</div></> },
  { header: 'Final bill due', className: 'nowrap', cell: (a) => a.finalDueDate },
  { header: 'Owes', className: 'num nowrap', cell: (a) => formatCents(a.balanceCents) },
  { header: 'Letter', className: 'nowrap', cell: (a) => (a.letter ? <LetterLink id={a.letter.id} date={a.letter.letterDate} /> : <span className="muted">—</span>) },
  { header: 'Where it stands', cell: (a) => (a.placement ? <><PlacementBadge status="placed" /> <span className="small">{a.placement.agencyCode}, {a.placement.placedOn}</span></> : a.candidate ? <span className="badge badge-info">Ready to place</span> : <StepText step={a.next} />) },
];

function CandidatesCard({ agencies, version, onPlaced }: { agencies: CollectionAgency[]; version: number; onPlaced(): void }) {
  const canPlace = useCan('csr2');
  const list = useApi(`bad-debt-candidates:${version}`, (signal) => api.get<{ items: PlacementCandidate[] }>('/bad-debt/candidates', undefined, signal));
  const finals = useApi(`bad-debt-final:${version}`, (signal) => api.get<{ items: FinalAccountItem[] }>('/bad-debt/final-accounts', undefined, signal));
  const [made, setMade] = useState<PlacementFileResult | null>(null);
  const active = agencies.filter((a) => a.active);
  const form = useSubmit(async (v, el) => {
    if (!v.agencyId) throw clientError('body.agencyId', 'Choose the agency');
    const chosen = Array.from(el.querySelectorAll<HTMLInputElement>('input[name="account"]:checked')).map((i) => Number(i.value));
    setMade(null);
    setMade(await api.post<PlacementFileResult>('/bad-debt/placement-files', { agencyId: Number(v.agencyId), ...(chosen.length ? { accountIds: chosen } : {}) }));
    list.reload();
    finals.reload();
    onPlaced();
  });
  const columns: Column<PlacementCandidate>[] = [
    ...(canPlace ? [{ header: <span className="visually-hidden">Choose</span>, cell: (c: PlacementCandidate) => <input type="checkbox" name="account" value={c.accountId} aria-label={`Place account ${c.accountNumber}`} data-testid="choose-candidate" /> }] : []),
    { header: 'Account', cell: (c) => <><Link to={`/accounts/${c.accountId}`} className="mono" data-testid="candidate-account">{c.accountNumber}</Link><div className="small">{c.customerName}</div></> },
    { header: 'Letter', className: 'nowrap', cell: (c) => (c.letterId && c.letterDate ? <LetterLink id={c.letterId} date={c.letterDate} /> : '—') },
    { header: 'May be placed from', className: 'nowrap', cell: (c) => c.placeAfter ?? '—' },
    { header: 'Ready since', className: 'nowrap', cell: (c) => `${c.since}${c.source === 'staff' ? ' (staff)' : ''}` },
    { header: 'Owes', className: 'num nowrap', cell: (c) => <span data-testid="candidate-balance">{formatCents(c.balanceCents)}</span> },
  ];
  return (
    <Card title="Ready to place" testId="placement-candidates">
      {list.error ? <LoadError error={list.error} retry={list.reload} /> : !list.data ? <Loading what="Loading the candidates" /> : (
        <form onSubmit={form.onSubmit} noValidate data-testid="placement-form">
          <ErrorMessage error={form.error} />
          {list.data.items.length === 0 ? <Empty>No account is waiting to be placed.</Empty> : <DataTable columns={columns} rows={list.data.items} testId="candidates-table" />}
          {canPlace && list.data.items.length > 0 && (
            <>
              <p className="small muted">Places the accounts ticked (or all of them) with the agency for what each owes now, in one CSV file in the agency's layout, kept as made. Each account is flagged on its page.</p>
              <div className="run-form-fields">
                <SelectField label="Agency" name="agencyId" field={['body.agencyId', 'agencyId']} error={form.error} options={active.map((a) => ({ value: String(a.id), label: `${a.code}: ${a.name} (${a.commissionPercent}%)` }))} blank="Choose" required />
              </div>
              <div className="form-actions">
                <button type="submit" className="button-primary" disabled={form.busy} data-testid="make-placement-file">{form.busy ? 'Placing…' : 'Make placement file'}</button>
              </div>
            </>
          )}
        </form>
      )}
      {made && (
        made.file ? (
          <p className="success-banner" role="status" data-testid="placement-file-done">
            Made <FileLink kind="placement-files" file={made.file} />: {made.file.placements} account{made.file.placements === 1 ? '' : 's'} placed with {made.file.agencyCode}, {formatCents(made.file.totalCents)} in all.
            {made.skipped.length > 0 && ` Left out: ${made.skipped.map((s) => `${s.accountNumber} (${s.why})`).join('; ')}.`}
          </p>
        ) : (
          <p className="notice" role="status" data-testid="placement-file-none">Nothing was placed{made.skipped.length > 0 ? `: ${made.skipped.map((s) => `${s.accountNumber} (${s.why})`).join('; ')}` : ''}.</p>
        )
      )}
      <h3 className="subheading">Final accounts owing</h3>
      {finals.error ? <LoadError error={finals.error} retry={finals.reload} /> : !finals.data ? <Loading what="Loading the final accounts" /> : finals.data.items.length === 0 ? <Empty>No final account owes money.</Empty> : <DataTable columns={finalColumns} rows={finals.data.items} rowKey={(a) => a.accountId} testId="final-accounts-table" />}
    </Card>
  );
}

// ---- files: placement, recall, remittance ----

function FilesCard({ agencies, version, onChange }: { agencies: CollectionAgency[]; version: number; onChange(): void }) {
  const canAct = useCan('csr2');
  const placementFiles = useApi(`placement-files:${version}`, (signal) => api.get<{ items: PlacementFile[] }>('/bad-debt/placement-files', undefined, signal));
  const recallFiles = useApi(`recall-files:${version}`, (signal) => api.get<{ items: RecallFile[] }>('/bad-debt/recall-files', undefined, signal));
  const remittances = useApi(`remittances:${version}`, (signal) => api.get<{ items: RemittanceListItem[] }>('/bad-debt/remittances', undefined, signal));
  const [recall, setRecall] = useState<{ file: (RecallFile & { body: string }) | null } | null>(null);
  const [remitted, setRemitted] = useState<RemittanceResult | null>(null);
  const options = agencies.map((a) => ({ value: String(a.id), label: `${a.code}: ${a.name}` }));
  const recallForm = useSubmit(async (v) => {
    if (!v.agencyId) throw clientError('body.agencyId', 'Choose the agency');
    setRecall(null);
    setRecall(await api.post<{ file: (RecallFile & { body: string }) | null }>('/bad-debt/recall-files', { agencyId: Number(v.agencyId) }));
    recallFiles.reload();
  });
  const remitForm = useSubmit(async (v, el) => {
    const input = el.elements.namedItem('file') as HTMLInputElement | null;
    const file = input?.files?.[0];
    if (!v.agencyId) throw clientError('agencyId', 'Choose the agency');
    if (!file) throw clientError('file', 'Choose the remittance file');
    setRemitted(null);
    try {
      setRemitted(await api.upload<RemittanceResult>('/bad-debt/remittances', { agencyId: v.agencyId, fileName: file.name }, file, 'text/csv'));
    } catch (e) {
      if (e instanceof ApiError && e.details.line !== undefined) throw new ApiError(e.status, e.code, e.message, { ...e.details, field: 'file' });
      throw e;
    }
    remittances.reload();
    onChange();
  });
  const placementColumns: Column<PlacementFile>[] = [
    { header: 'File', cell: (f) => <FileLink kind="placement-files" file={f} /> },
    { header: 'Agency', className: 'nowrap', cell: (f) => f.agencyCode },
    { header: 'Placed', className: 'nowrap', cell: (f) => f.placedOn },
    { header: 'Accounts', className: 'num', cell: (f) => f.placements },
    { header: 'Total', className: 'num nowrap', cell: (f) => formatCents(f.totalCents) },
  ];
  const recallColumns: Column<RecallFile>[] = [
    { header: 'File', cell: (f) => <FileLink kind="recall-files" file={f} /> },
    { header: 'Agency', className: 'nowrap', cell: (f) => f.agencyCode },
    { header: 'Made', className: 'nowrap', cell: (f) => formatTimestamp(f.createdAt) },
    { header: 'Recalls', className: 'num', cell: (f) => f.recalls },
  ];
  const remittanceColumns: Column<RemittanceListItem>[] = [
    { header: 'File', cell: (r) => <a href={apiUrl(`/bad-debt/remittances/${r.id}/file`)} download={r.fileName} className="mono">{r.fileName}</a> },
    { header: 'Agency', className: 'nowrap', cell: (r) => r.agencyCode },
    { header: 'Collections', className: 'num', cell: (r) => r.records },
    { header: 'Collected', className: 'num nowrap', cell: (r) => formatCents(r.grossCents) },
    { header: 'Commission', className: 'num nowrap', cell: (r) => formatCents(r.commissionCents) },
    { header: 'Paid to us', className: 'num nowrap', cell: (r) => (r.batchId ? <Link to={`/payments/batches/${r.batchId}`}>{formatCents(r.netCents)}</Link> : formatCents(r.netCents)) },
  ];
  return (
    <Card title="Files to and from the agencies" testId="agency-files">
      {canAct && (
        <div className="card-row card-row-2">
          <form onSubmit={recallForm.onSubmit} noValidate data-testid="recall-file-form">
            <ErrorMessage error={recallForm.error} />
            <p className="small muted">The recall file lists every placement recalled and not yet sent to the agency.</p>
            <div className="run-form-fields">
              <SelectField label="Agency" name="agencyId" field={['body.agencyId', 'agencyId']} error={recallForm.error} options={options} blank="Choose" required />
            </div>
            <div className="form-actions">
              <button type="submit" disabled={recallForm.busy} data-testid="make-recall-file">{recallForm.busy ? 'Making…' : 'Make recall file'}</button>
            </div>
            {recall && (recall.file
              ? <p className="success-banner" role="status" data-testid="recall-file-done">Made <FileLink kind="recall-files" file={recall.file} />: {recall.file.recalls} recall{recall.file.recalls === 1 ? '' : 's'}.</p>
              : <p className="notice" role="status" data-testid="recall-file-none">No recalls are waiting to be sent.</p>)}
          </form>
          <form onSubmit={remitForm.onSubmit} noValidate data-testid="remittance-form">
            <ErrorMessage error={remitForm.error} />
            <p className="small muted">The agency's remittance: a CSV with account_number, gross, commission, net and date for each collection. Kept as it came; the same file again posts nothing; a wrong line refuses it all.</p>
            <div className="run-form-fields">
              <TextField label="Remittance file" name="file" type="file" field="file" error={remitForm.error} accept=".csv,.txt,text/csv,text/plain" required />
              <SelectField label="From agency" name="agencyId" field="agencyId" error={remitForm.error} options={options} blank="Choose" required />
            </div>
            <div className="form-actions">
              <button type="submit" disabled={remitForm.busy} data-testid="import-remittance">{remitForm.busy ? 'Posting…' : 'Post remittance'}</button>
            </div>
            {remitted && (
              <p className={remitted.duplicate ? 'notice' : 'success-banner'} role="status" data-testid="remittance-done">
                {remitted.duplicate ? `${remitted.fileName} was posted before: nothing was posted now.` : `${remitted.fileName}: ${remitted.records} collection${remitted.records === 1 ? '' : 's'}, ${formatCents(remitted.grossCents)} collected, ${formatCents(remitted.commissionCents)} commission, ${formatCents(remitted.netCents)} posted.`}
              </p>
            )}
          </form>
        </div>
      )}
      <h3 className="subheading">Placement files</h3>
      {placementFiles.data ? (placementFiles.data.items.length ? <DataTable columns={placementColumns} rows={placementFiles.data.items} testId="placement-files-table" /> : <Empty>No placement files yet.</Empty>) : placementFiles.error ? <LoadError error={placementFiles.error} /> : <Loading />}
      <h3 className="subheading">Recall files</h3>
      {recallFiles.data ? (recallFiles.data.items.length ? <DataTable columns={recallColumns} rows={recallFiles.data.items} testId="recall-files-table" /> : <Empty>No recall files yet.</Empty>) : recallFiles.error ? <LoadError error={recallFiles.error} /> : <Loading />}
      <h3 className="subheading">Remittances</h3>
      {remittances.data ? (remittances.data.items.length ? <DataTable columns={remittanceColumns} rows={remittances.data.items} testId="remittances-table" /> : <Empty>No remittances yet.</Empty>) : remittances.error ? <LoadError error={remittances.error} /> : <Loading />}
    </Card>
  );
}

// ---- agencies ----

function AgenciesCard({ agencies, onChange }: { agencies: CollectionAgency[]; onChange(): void }) {
  const canEdit = useCan('supervisor');
  const [adding, setAdding] = useState(false);
  const fields = useApi('placement-fields', (signal) => api.get<{ items: { field: string; label: string }[] }>('/bad-debt/placement-fields', undefined, signal));
  const form = useSubmit(async (v) => {
    const columns = (v.columns ?? '').split(',').map((c) => c.trim()).filter(Boolean);
    await api.post('/bad-debt/agencies', { code: (v.code ?? '').toUpperCase(), name: v.name, commissionPercent: v.commission, vendorId: v.vendor ?? '', ...(columns.length ? { fileColumns: columns } : {}), fileHeader: v.header === 'on', reason: v.reason });
    setAdding(false);
    onChange();
  }, adding);
  const columns: Column<CollectionAgency>[] = [
    { header: 'Code', className: 'nowrap', cell: (a) => <span className="mono">{a.code}</span> },
    { header: 'Name', cell: (a) => <>{a.name}{!a.active && <span className="badge badge-muted">Inactive</span>}</> },
    { header: 'Commission', className: 'num nowrap', cell: (a) => <span data-testid="agency-commission">{a.commissionPercent}%</span> },
    { header: 'Vendor id', className: 'nowrap', cell: (a) => a.vendorId || '—' },
    { header: 'Placement file columns', cell: (a) => <span className="small mono">{a.fileColumns.join(', ')}</span> },
  ];
  return (
    <Card title="Collection agencies" testId="collection-agencies" actions={canEdit && <button type="button" className="button-small" onClick={() => setAdding(true)} data-testid="add-agency">Add agency</button>}>
      {agencies.length === 0 ? <Empty>No collection agencies yet.</Empty> : <DataTable columns={columns} rows={agencies} testId="agencies-table" />}
      <FormDialog title="Add a collection agency" open={adding} onClose={() => setAdding(false)} testId="agency-dialog" form={form} submitLabel="Add agency" submitTestId="save-agency">
        <TextField label="Code" name="code" field={['body.code', 'code']} error={form.error} required autoFocus className="mono" hint="Capital letters and digits, e.g. NWCOLL" />
        <TextField label="Name" name="name" field={['body.name', 'name']} error={form.error} required />
        <TextField label="Commission (%)" name="commission" field={['body.commissionPercent', 'commissionPercent']} error={form.error} inputMode="decimal" required className="mono" hint='Exact, e.g. "30.00"' />
        <TextField label="Our vendor id at the agency" name="vendor" field={['body.vendorId', 'vendorId']} error={form.error} />
        <TextField label="Placement file columns" name="columns" field={['body.fileColumns', 'fileColumns']} error={form.error} wide className="mono"
          hint={fields.data ? `Comma-separated, in order; empty for the default. Fields: ${fields.data.items.map((f) => f.field).join(', ')}. Identity numbers are never sent.` : 'Comma-separated, in order; empty for the default'} />
        <CheckboxField label="Header row in the file" name="header" defaultChecked />
        <ReasonField error={form.error} required placeholder="e.g. Contract signed with the agency" />
      </FormDialog>
    </Card>
  );
}

/**
 * Agency placements: today's job, the accounts ready to place with their letters and the final
 * accounts owing (what the job does next with each), placement by file, the placements with what
 * each agency has collected (record a collection, recall), the files to and from the agencies
 * (placement, recall, remittance) and the agencies themselves.
 */
export function AgencyPlacementsPage() {
  const filters = useQueryFilters('status');
  const agencies = useApi('collection-agencies', (signal) => api.get<{ items: CollectionAgency[] }>('/bad-debt/agencies', undefined, signal));
  const list = usePagedQuery<PlacementListItem>('/bad-debt/placements', { status: filters.status }, { limit: 25 });
  // Bumped after a change, so every card loads again.
  const [version, setVersion] = useState(0);
  const bump = () => {
    setVersion((v) => v + 1);
    list.reload();
  };
  const collections = useApi(`agency-collections:${version}`, (signal) => api.get<{ items: AgencyCollectionListItem[] }>('/bad-debt/collections', { limit: 10 }, signal));
  const canAct = useCan('csr2');
  const [collecting, setCollecting] = useState<(PlacementListItem & { commissionPercent?: string }) | null>(null);
  const [recalling, setRecalling] = useState<PlacementListItem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const percentOf = (agencyId: number) => agencies.data?.items.find((a) => a.id === agencyId)?.commissionPercent;

  const columns: Column<PlacementListItem>[] = [
    { header: 'Placement', className: 'nowrap', cell: (p) => <span className="mono">{p.id}</span> },
    { header: 'Account', cell: (p) => <><Link to={`/accounts/${p.accountId}`} className="mono" data-testid="placement-account">{p.accountNumber}</Link><div className="small">{p.customerName}</div></> },
    { header: 'Agency', className: 'nowrap', cell: (p) => p.agencyCode },
    { header: 'Placed', className: 'nowrap', cell: (p) => p.placedOn },
    { header: 'Amount', className: 'num nowrap', cell: (p) => formatCents(p.amountCents) },
    { header: 'Collected', className: 'num nowrap', cell: (p) => <span data-testid="placement-collected">{formatCents(p.collectedCents)}</span> },
    { header: 'Status', cell: (p) => <><PlacementBadge status={p.status} reason={p.recallReason} />{p.recalledOn && <div className="small muted">{p.recalledOn}{p.recallFileId ? `, in recall file ${p.recallFileId}` : ', not yet sent'}</div>}</> },
    {
      header: <span className="visually-hidden">Actions</span>, className: 'actions-cell',
      cell: (p) => canAct && (
        <div className="row-actions">
          <button type="button" className="button-small" onClick={() => { setDone(null); setCollecting({ ...p, commissionPercent: percentOf(p.agencyId) }); }} data-testid="record-collection" aria-label={`Record what ${p.agencyCode} collected on placement ${p.id}`}>Agency payment</button>
          {p.status === 'placed' && <button type="button" className="button-small" onClick={() => { setDone(null); setRecalling(p); }} data-testid="recall-placement" aria-label={`Recall placement ${p.id}`}>Recall</button>}
        </div>
      ),
    },
  ];
  const collectionColumns: Column<AgencyCollectionListItem>[] = [
    { header: 'Collected', className: 'nowrap', cell: (c) => c.collectedOn },
    { header: 'Account', cell: (c) => <Link to={`/accounts/${c.accountId}`} className="mono">{c.accountNumber}</Link> },
    { header: 'Agency', className: 'nowrap', cell: (c) => c.agencyCode },
    { header: 'Gross', className: 'num nowrap', cell: (c) => formatCents(c.grossCents) },
    { header: 'Commission', className: 'num nowrap', cell: (c) => formatCents(c.commissionCents) },
    { header: 'Paid to us', className: 'num nowrap', cell: (c) => (c.paymentId ? <Link to={`/payments/${c.paymentId}`}>{formatCents(c.netCents)}</Link> : formatCents(c.netCents)) },
  ];

  return (
    <>
      <PageHeader
        title="Agency placements"
        subtitle="Accounts whose service ended with money owed: the pre-collection letter, then, after the waiting period, placement with a collection agency by file; what the agencies collect (posted net of their commission) and recalls."
        actions={<Link to="/bad-debt/write-offs">Write-offs →</Link>}
      />
      <SuccessBanner message={done} testId="placements-done" />
      <div className="card-row card-row-2">
        <RunCard onRan={bump} />
        {agencies.data ? <AgenciesCard agencies={agencies.data.items} onChange={agencies.reload} /> : agencies.error ? <LoadError error={agencies.error} retry={agencies.reload} /> : <Loading />}
      </div>
      {agencies.data && <CandidatesCard agencies={agencies.data.items} version={version} onPlaced={bump} />}
      <ListCard
        title="Placements"
        filterLabel="Filter placements"
        filters={<SelectField label="Status" name="status" options={placementStatuses.map((s) => ({ value: s, label: s === 'placed' ? 'With the agency' : 'Recalled' }))} blank="Any" defaultValue={filters.status} />}
        list={list}
        columns={columns}
        empty={filters.status ? `No ${filters.status} placements.` : 'No placements yet.'}
        testId="placements-table"
        newerLabel="Newer"
        olderLabel="Older"
      />
      <Card title="Latest agency collections" testId="agency-collections">
        {collections.data ? (collections.data.items.length ? <DataTable columns={collectionColumns} rows={collections.data.items} testId="collections-table" /> : <Empty>Nothing collected by an agency yet.</Empty>) : collections.error ? <LoadError error={collections.error} /> : <Loading />}
      </Card>
      {agencies.data && <FilesCard agencies={agencies.data.items} version={version} onChange={bump} />}
      <CollectionDialog
        placement={collecting}
        onClose={() => setCollecting(null)}
        onSaved={(c) => { setCollecting(null); setDone(`${collecting?.agencyCode} collected ${formatCents(c.grossCents)} on account ${collecting?.accountNumber}: ${formatCents(c.netCents)} posted as a payment, ${formatCents(c.commissionCents)} commission written off.`); bump(); }}
      />
      <RecallDialog placement={recalling} onClose={() => setRecalling(null)} onSaved={() => { setRecalling(null); setDone(`Placement ${recalling?.id} (account ${recalling?.accountNumber}) recalled; it goes in ${recalling?.agencyCode}'s next recall file.`); bump(); }} />
    </>
  );
}
