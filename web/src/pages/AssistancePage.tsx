import { useState, type ReactNode } from 'react';
import { api, apiUrl, ApiError } from '../api.ts';
import { PledgeStatusBadges, ProgramCell } from '../account/AssistanceCard.tsx';
import { parseDollars } from '../billing/money.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { CheckboxField, clientError, ErrorMessage, optional, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader } from '../components/ui.tsx';
import { formatCents, utilityToday } from '../format.ts';
import { useApi, usePagedQuery, useQueryFilters } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { pledgeStatuses, type Agency, type AgencyCheckResult, type AgencyImportResult, type AgencyPaymentItemResult, type AgencyPaymentListItem, type AssistanceProgram, type AssistanceReport, type AssistanceReportRow, type AssistanceReviewResult, type Pledge } from '../types.ts';

const dash = <span className="muted">—</span>;

const pledgeColumns: Column<Pledge>[] = [
  { header: 'Pledge', className: 'nowrap', cell: (p) => <span className="mono">Pledge {p.id}</span> },
  {
    header: 'Account',
    cell: (p) => (
      <>
        <Link to={`/accounts/${p.accountId}`} className="mono" data-testid="pledge-account">{p.accountNumber}</Link>
        <div className="small">{p.customerName}</div>
      </>
    ),
  },
  { header: 'Agency and program', cell: (p) => <ProgramCell pledge={p} /> },
  { header: 'Amount', className: 'num nowrap', cell: (p) => formatCents(p.amountCents) },
  { header: 'Received', className: 'num nowrap', cell: (p) => formatCents(p.receivedCents) },
  { header: 'Still to come', className: 'num nowrap', cell: (p) => formatCents(p.outstandingCents) },
  { header: 'Pledged', className: 'nowrap', cell: (p) => p.pledgedOn },
  { header: 'Expires', className: 'nowrap', cell: (p) => p.expiresOn },
  { header: 'Status', cell: (p) => <PledgeStatusBadges pledge={p} /> },
];

const statusOptions = pledgeStatuses.map((s) => ({ value: s, label: { open: 'Open', partial: 'Partly paid', paid: 'Paid', expired: 'Expired', cancelled: 'Cancelled' }[s] }));

// ---- posting an agency check ----

interface Line {
  key: number;
  accountNumber: string;
  amount: string;
  pledgeId: string;
}
let lineKey = 0;
const newLine = (): Line => ({ key: ++lineKey, accountNumber: '', amount: '', pledgeId: '' });

const itemColumns: Column<AgencyPaymentItemResult>[] = [
  { header: 'Item', className: 'num', cell: (i) => i.itemNo },
  { header: 'Account', className: 'nowrap', cell: (i) => (i.accountId ? <Link to={`/accounts/${i.accountId}`} className="mono">{i.accountRef}</Link> : <span className="muted">None of ours</span>) },
  { header: 'Amount', className: 'num nowrap', cell: (i) => formatCents(i.amountCents) },
  {
    header: 'Applied',
    cell: (i) => (i.status === 'suspense'
      ? <Link to="/payments/suspense" className="badge badge-warn" data-testid="item-suspense">In suspense</Link>
      : <span className={`badge badge-${i.status === 'applied' ? 'good' : 'muted'}`} data-testid="item-status">{i.status === 'applied' ? 'Applied' : 'Reversed'}</span>),
  },
  { header: 'Pledge', cell: (i) => (i.pledgeId ? <span data-testid="item-pledge">Pledge {i.pledgeId}: {i.pledgeStatus === 'partial' ? 'partly paid' : i.pledgeStatus}</span> : <span className="muted">No open pledge</span>) },
  { header: 'Payment', className: 'nowrap', cell: (i) => <Link to={`/payments/${i.paymentId}`}>Payment {i.paymentId}</Link> },
];

/** What an agency payment did: applied, in suspense, the pledges it paid. */
function AgencyPaymentResult({ result, title }: { result: AgencyCheckResult | null; title: ReactNode }) {
  if (!result) return null;
  return (
    <div data-testid="agency-payment-result">
      <p className="success-banner" role="status" data-testid="agency-payment-done">
        {title} {result.applied} applied{result.suspense ? `, ${result.suspense} in the suspense queue (an account number that is not ours)` : ''}.{' '}
        <Link to={`/payments/batches/${result.batchId}`} data-testid="agency-payment-batch">Batch {result.batchId}</Link>
      </p>
      <DataTable columns={itemColumns} rows={result.items} rowKey={(i) => i.paymentId} testId="agency-payment-items" />
    </div>
  );
}

/**
 * One check from an agency covering many accounts: the lines must add up to the check, or nothing
 * is posted. Each line is applied to its account and recorded against its pledge (the one named,
 * else the account's oldest open pledge of the agency); an account number that is not ours goes to
 * the suspense queue.
 */
function PostCheckCard({ agencies, onPosted }: { agencies: Agency[]; onPosted(): void }) {
  const [lines, setLines] = useState<Line[]>(() => [newLine(), newLine()]);
  const [total, setTotal] = useState('');
  const [result, setResult] = useState<AgencyCheckResult | null>(null);
  const sum = lines.reduce((a, l) => a + (parseDollars(l.amount) ?? 0), 0);
  const totalCents = parseDollars(total);
  const set = (key: number, patch: Partial<Line>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const form = useSubmit(async (v, formElement) => {
    if (!v.agencyId) throw clientError('body.agencyId', 'Choose the agency');
    if (totalCents === null || totalCents === 0) throw clientError('body.totalCents', 'Write the check amount, e.g. 1250.00');
    const filled = lines.filter((l) => l.accountNumber.trim() || l.amount.trim() || l.pledgeId.trim());
    if (filled.length === 0) throw clientError('body.items', 'Add a line for each account the check pays');
    const items = filled.map((l, i) => {
      const cents = parseDollars(l.amount);
      if (cents === null || cents === 0) throw clientError('body.items', `Line ${i + 1}: write the amount in dollars and cents`);
      if (!l.accountNumber.trim() && !/^\d+$/.test(l.pledgeId.trim())) throw clientError('body.items', `Line ${i + 1}: give the account number (or the pledge)`);
      return { ...(l.accountNumber.trim() ? { accountNumber: l.accountNumber.trim() } : {}), ...(/^\d+$/.test(l.pledgeId.trim()) ? { pledgeId: Number(l.pledgeId.trim()) } : {}), amountCents: cents };
    });
    setResult(null);
    const posted = await api.post<AgencyCheckResult>('/assistance/agency-payments', { agencyId: Number(v.agencyId), checkNumber: v.checkNumber ?? '', receivedOn: v.receivedOn ?? '', totalCents, items });
    setResult(posted);
    setLines([newLine(), newLine()]);
    setTotal('');
    // The next check starts blank but for the agency (the same check number again would only find this one).
    const checkNumber = formElement.elements.namedItem('checkNumber') as HTMLInputElement | null;
    if (checkNumber) checkNumber.value = '';
    onPosted();
  });
  const { error } = form;
  return (
    <Card title="Post an agency check" testId="agency-check">
      <form onSubmit={form.onSubmit} noValidate data-testid="agency-check-form">
        <ErrorMessage error={error} />
        <div className="run-form-fields">
          <SelectField label="Agency" name="agencyId" field="body.agencyId" error={error} options={agencies.filter((a) => a.active).map((a) => ({ value: String(a.id), label: `${a.code}: ${a.name}` }))} blank="Choose the agency" required />
          <TextField label="Check number" name="checkNumber" field="body.checkNumber" error={error} required autoComplete="off" maxLength={30} />
          <TextField label="Received on" name="receivedOn" type="date" field="body.receivedOn" error={error} defaultValue={utilityToday()} required />
          <TextField label="Check amount" name="total" field="body.totalCents" error={error} inputMode="decimal" required placeholder="0.00" value={total} onChange={(e) => setTotal(e.currentTarget.value)} />
        </div>
        <table className="table check-lines" data-testid="check-lines">
          <thead>
            <tr>
              <th scope="col">Account number</th>
              <th scope="col" className="num">Amount</th>
              <th scope="col">Pledge (optional)</th>
              <th scope="col"><span className="visually-hidden">Remove</span></th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={l.key} data-testid="check-line">
                <td><input aria-label={`Line ${i + 1} account number`} className="mono" value={l.accountNumber} onChange={(e) => set(l.key, { accountNumber: e.currentTarget.value })} autoComplete="off" maxLength={30} /></td>
                <td className="num"><input aria-label={`Line ${i + 1} amount`} inputMode="decimal" value={l.amount} onChange={(e) => set(l.key, { amount: e.currentTarget.value })} placeholder="0.00" /></td>
                <td><input aria-label={`Line ${i + 1} pledge`} inputMode="numeric" value={l.pledgeId} onChange={(e) => set(l.key, { pledgeId: e.currentTarget.value })} placeholder="Oldest open" /></td>
                <td>
                  {lines.length > 1 && (
                    <button type="button" className="button-small" onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))} aria-label={`Remove line ${i + 1}`}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="small" data-testid="check-sum" data-cents={sum}>
          Lines come to <strong>{formatCents(sum)}</strong>
          {totalCents !== null && totalCents > 0 && (sum === totalCents ? <>: the check balances.</> : <>: {formatCents(Math.abs(totalCents - sum))} {sum < totalCents ? 'short of' : 'over'} the check.</>)}
        </p>
        <div className="form-actions">
          <button type="button" onClick={() => setLines((ls) => [...ls, newLine()])} data-testid="add-check-line">Add a line</button>
          <button type="submit" className="button-primary" disabled={form.busy} data-testid="post-agency-check">{form.busy ? 'Posting…' : 'Post the check'}</button>
        </div>
      </form>
      <AgencyPaymentResult result={result} title={result && <>{result.replayed ? 'Posted before: ' : ''}Check {result.checkNumber} from {result.agencyCode}, {formatCents(result.totalCents)}:</>} />
    </Card>
  );
}

const agencyPaymentColumns: Column<AgencyPaymentListItem>[] = [
  { header: 'Received', className: 'nowrap', cell: (a) => a.receivedOn },
  { header: 'Agency', className: 'nowrap', cell: (a) => <span className="mono">{a.agencyCode}</span> },
  { header: 'From', cell: (a) => (a.source === 'check' ? `Check ${a.checkNumber}` : `File${a.checkNumber ? `, check ${a.checkNumber}` : ''}`) },
  { header: 'Items', className: 'num', cell: (a) => a.items },
  { header: 'In suspense', className: 'num', cell: (a) => (a.suspense ? <Link to="/payments/suspense">{a.suspense}</Link> : 0) },
  { header: 'Amount', className: 'num nowrap', cell: (a) => formatCents(a.totalCents) },
  { header: 'Batch', className: 'nowrap', cell: (a) => <Link to={`/payments/batches/${a.batchId}`}>Batch {a.batchId}</Link> },
];

// ---- agency files ----

function ImportFileCard({ agencies, onImported }: { agencies: Agency[]; onImported(): void }) {
  const [result, setResult] = useState<AgencyImportResult | null>(null);
  const form = useSubmit(async (v, formElement) => {
    const input = formElement.elements.namedItem('file') as HTMLInputElement | null;
    const file = input?.files?.[0];
    if (!file) throw clientError('file', 'Choose the agency file');
    setResult(null);
    try {
      setResult(await api.upload<AgencyImportResult>('/assistance/imports', { fileName: file.name, agency: optional(v.agency) }, file, 'text/csv'));
    } catch (e) {
      if (e instanceof ApiError && e.details.line !== undefined) throw new ApiError(e.status, e.code, e.message, { ...e.details, field: 'file' });
      throw e;
    }
    onImported();
  });
  const { error } = form;
  return (
    <Card title="Import an agency file" testId="agency-import">
      <form onSubmit={form.onSubmit} noValidate data-testid="agency-import-form">
        <ErrorMessage error={error} />
        <p className="small muted">CSV with a header: Agency Code, Pledge Number, Account Number, Customer Name, Amount, Payment Date (and Check Number), unless the agency has a layout of its own. The file is kept; the same file again posts nothing.</p>
        <div className="run-form-fields">
          <TextField label="File" name="file" type="file" field="file" error={error} accept=".csv,.txt,text/csv,text/plain" required />
          <SelectField label="For agency" name="agency" options={agencies.map((a) => ({ value: a.code, label: a.code }))} blank="As the file says" />
        </div>
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={form.busy} data-testid="import-agency-file">{form.busy ? 'Importing…' : 'Import'}</button>
        </div>
      </form>
      {result && (
        <p className={result.duplicate ? 'notice' : 'success-banner'} role="status" data-testid="agency-import-done">
          {result.duplicate
            ? `${result.fileName} was imported before (import ${result.importId}): nothing was posted now.`
            : `${result.fileName}: ${result.records} records, ${result.applied} applied, ${result.suspense} in the suspense queue; ${formatCents(result.totalCents)}.`}
        </p>
      )}
    </Card>
  );
}

// ---- the review ----

function ReviewCard({ onDone }: { onDone(): void }) {
  const [result, setResult] = useState<AssistanceReviewResult | null>(null);
  const form = useSubmit(async () => {
    setResult(null);
    setResult(await api.post<AssistanceReviewResult>('/assistance/review', {}));
    onDone();
  });
  return (
    <Card title="Today's review" testId="assistance-review">
      <form onSubmit={form.onSubmit} noValidate>
        <ErrorMessage error={form.error} />
        <p className="small muted">Expires the open pledges whose expiry date has passed (flagged expired, or short when part of the money came) and clears their alerts; matches agency payments staff applied from suspense to their pledges. Run again the same day, it finds nothing to do.</p>
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={form.busy} data-testid="run-assistance-review">{form.busy ? 'Reviewing…' : "Run today's review"}</button>
        </div>
      </form>
      {result && (
        <p className="success-banner" role="status" data-testid="assistance-review-done">
          Review of {result.date}: {result.expired} pledge{result.expired === 1 ? '' : 's'} expired ({result.short} short), {result.matched} agency payment{result.matched === 1 ? '' : 's'} matched from suspense.
        </p>
      )}
    </Card>
  );
}

// ---- the report ----

const reportColumns: Column<AssistanceReportRow & { label: ReactNode; total?: boolean }>[] = [
  { header: 'Agency and program', cell: (r) => (r.total ? <strong>{r.label}</strong> : r.label) },
  { header: 'Pledges', className: 'num', cell: (r) => r.pledgedCount },
  { header: 'Pledged', className: 'num nowrap', cell: (r) => <span data-testid="report-pledged">{formatCents(r.pledgedCents)}</span> },
  { header: 'Received', className: 'num nowrap', cell: (r) => <span data-testid="report-received">{formatCents(r.receivedCents)}</span> },
  { header: 'Still to come', className: 'num nowrap', cell: (r) => formatCents(r.outstandingCents) },
  { header: 'Expired', className: 'num', cell: (r) => r.expiredCount },
  { header: 'Expired unpaid', className: 'num nowrap', cell: (r) => formatCents(r.expiredCents) },
  { header: 'Short', className: 'num', cell: (r) => r.shortCount },
  { header: 'Cancelled', className: 'num', cell: (r) => r.cancelledCount },
];

/** The program monitoring report: by agency and program, for pledges made between two days; and as CSV. */
function ReportCard({ version }: { version: number }) {
  const [range, setRange] = useState<{ from: string; to: string }>({ from: '', to: '' });
  const query = { from: range.from || undefined, to: range.to || undefined };
  const report = useApi(`assistance-report:${range.from}:${range.to}:${version}`, (signal) => api.get<AssistanceReport>('/assistance/report', query, signal));
  const r = report.data;
  const rows = r
    ? [
      ...r.agencies.flatMap((a) => [
        ...r.programs.filter((p) => p.agencyId === a.agencyId).map((p) => ({ ...p, label: <><span className="mono">{a.agencyCode} {p.programCode}</span> <span className="small muted">{p.programName}</span></> })),
        { ...a, label: `${a.agencyCode}: all programs`, total: true },
      ]),
      { ...r.total, label: 'All agencies', total: true },
    ]
    : [];
  return (
    <Card
      title="Program monitoring report"
      testId="assistance-report"
      actions={<a href={apiUrl('/assistance/report.csv', query)} download data-testid="report-csv">Download CSV</a>}
    >
      <form className="run-form-fields" onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        setRange({ from: String(data.get('from') ?? ''), to: String(data.get('to') ?? '') });
      }}>
        <TextField label="Pledged from" name="from" type="date" defaultValue={range.from} />
        <TextField label="Pledged to" name="to" type="date" defaultValue={range.to} />
        <div className="form-actions"><button type="submit" data-testid="report-refresh">Show</button></div>
      </form>
      {report.error ? <LoadError error={report.error} retry={report.reload} /> : !r ? <Loading what="Adding up the pledges" /> : r.programs.length === 0 ? <Empty>No programs yet.</Empty> : <DataTable columns={reportColumns} rows={rows} rowKey={(x) => `${x.agencyId}:${x.programId ?? 'all'}:${x.total ? 't' : ''}:${x.agencyCode}`} testId="assistance-report-table" />}
    </Card>
  );
}

// ---- agencies and programs ----

function AgenciesCard({ agencies, programs, onChange }: { agencies: Agency[]; programs: AssistanceProgram[]; onChange(): void }) {
  const canManage = useCan('supervisor');
  const [dialog, setDialog] = useState<'agency' | 'program' | null>(null);
  return (
    <Card
      title="Agencies and programs"
      testId="assistance-agencies"
      actions={canManage && (
        <>
          <button type="button" className="button-small" onClick={() => setDialog('agency')} data-testid="add-agency">Add an agency</button>
          {agencies.length > 0 && <button type="button" className="button-small" onClick={() => setDialog('program')} data-testid="add-program">Add a program</button>}
        </>
      )}
    >
      {agencies.length === 0 ? (
        <Empty>No agencies yet.</Empty>
      ) : (
        agencies.map((a) => (
          <section key={a.id} className="agency" aria-label={a.name} data-testid="agency">
            <h3 className="subheading">
              <span className="mono">{a.code}</span> {a.name} {!a.active && <span className="badge badge-muted">Inactive</span>}
            </h3>
            <Facts items={[['Contact', a.contactName ?? dash], ['Phone', a.phone ?? dash], ['Email', a.email ?? dash], ['Payment file', a.fileLayout ? `Own layout (${a.fileLayout.code})` : 'Default layout']]} />
            <DataTable
              columns={[
                { header: 'Program', className: 'nowrap', cell: (p: AssistanceProgram) => <span className="mono">{p.code}</span> },
                { header: 'Name', cell: (p: AssistanceProgram) => p.name },
                { header: 'Funding year', className: 'nowrap', cell: (p: AssistanceProgram) => p.fundingYear ?? dash },
                { header: 'Season', className: 'nowrap', cell: (p: AssistanceProgram) => (p.seasonFrom || p.seasonTo ? `${p.seasonFrom ?? '…'} to ${p.seasonTo ?? '…'}` : dash) },
                { header: 'Kind', cell: (p: AssistanceProgram) => (p.lowIncome ? <span className="badge badge-info">Low-income (LIHEAP-type)</span> : 'Other') },
                { header: 'State', cell: (p: AssistanceProgram) => (p.active ? 'Active' : <span className="badge badge-muted">Inactive</span>) },
              ]}
              rows={programs.filter((p) => p.agencyId === a.id)}
              testId="agency-programs"
            />
          </section>
        ))
      )}
      {canManage && <AgencyDialog open={dialog === 'agency'} onClose={() => setDialog(null)} onSaved={() => { setDialog(null); onChange(); }} />}
      {canManage && <ProgramDialog agencies={agencies} open={dialog === 'program'} onClose={() => setDialog(null)} onSaved={() => { setDialog(null); onChange(); }} />}
    </Card>
  );
}

function AgencyDialog({ open, onClose, onSaved }: { open: boolean; onClose(): void; onSaved(): void }) {
  const form = useSubmit(async (v) => {
    await api.post('/assistance/agencies', { code: v.code ?? '', name: v.name ?? '', contactName: optional(v.contactName), phone: optional(v.phone), email: optional(v.email), address: optional(v.address), reason: optional(v.reason) });
    onSaved();
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Add an agency" open={open} onClose={onClose} testId="agency-dialog" form={form} submitLabel="Add agency" submitTestId="save-agency">
      <TextField label="Code" name="code" field="body.code" error={error} required autoFocus maxLength={20} className="mono" hint="Its vendor code, e.g. CDCAC" />
      <TextField label="Name" name="name" field="body.name" error={error} required maxLength={120} />
      <TextField label="Contact" name="contactName" field="body.contactName" error={error} maxLength={120} />
      <TextField label="Phone" name="phone" field="body.phone" error={error} maxLength={40} />
      <TextField label="Email" name="email" field="body.email" error={error} maxLength={120} />
      <TextField label="Address" name="address" field="body.address" error={error} maxLength={300} />
      <ReasonField error={error} />
    </FormDialog>
  );
}

function ProgramDialog({ agencies, open, onClose, onSaved }: { agencies: Agency[]; open: boolean; onClose(): void; onSaved(): void }) {
  const form = useSubmit(async (v) => {
    if (!v.agencyId) throw clientError('body.agencyId', 'Choose the agency');
    await api.post('/assistance/programs', {
      agencyId: Number(v.agencyId), code: v.code ?? '', name: v.name ?? '', lowIncome: v.lowIncome === 'on', fundingYear: v.fundingYear ? Number(v.fundingYear) : undefined,
      seasonFrom: optional(v.seasonFrom), seasonTo: optional(v.seasonTo), reason: optional(v.reason),
    });
    onSaved();
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Add a program" open={open} onClose={onClose} testId="program-dialog" form={form} submitLabel="Add program" submitTestId="save-program">
      <SelectField label="Agency" name="agencyId" field="body.agencyId" error={error} options={agencies.map((a) => ({ value: String(a.id), label: `${a.code}: ${a.name}` }))} blank="Choose the agency" required autoFocus />
      <TextField label="Code" name="code" field="body.code" error={error} required maxLength={20} className="mono" hint="e.g. LIHEAP" />
      <TextField label="Name" name="name" field="body.name" error={error} required maxLength={120} wide />
      <TextField label="Funding year" name="fundingYear" field="body.fundingYear" error={error} inputMode="numeric" maxLength={4} />
      <CheckboxField label="Low-income energy assistance (LIHEAP-type)" name="lowIncome" defaultChecked />
      <TextField label="Season from" name="seasonFrom" type="date" field="body.seasonFrom" error={error} />
      <TextField label="Season to" name="seasonTo" type="date" field="body.seasonTo" error={error} />
      <ReasonField error={error} />
    </FormDialog>
  );
}

/**
 * Energy assistance: agencies and their programs; the pledges (open ones hold collection; lapsed
 * ones flagged expired or short); posting an agency's check covering many accounts, or its file;
 * the daily review; and the program monitoring report with its CSV.
 */
export function AssistancePage() {
  const filters = useQueryFilters('status', 'flagged');
  const canPost = useCan('csr1');
  const canImport = useCan('csr2');
  const agencies = useApi('assistance-agencies', (signal) => api.get<{ items: Agency[] }>('/assistance/agencies', undefined, signal));
  const programs = useApi('assistance-programs:all', (signal) => api.get<{ items: AssistanceProgram[] }>('/assistance/programs', undefined, signal));
  const list = usePagedQuery<Pledge>('/assistance/pledges', { status: filters.status || undefined, flagged: filters.flagged === 'true' ? 'true' : undefined }, { limit: 25 });
  const payments = usePagedQuery<AgencyPaymentListItem>('/assistance/agency-payments', {}, { limit: 10 });
  const [version, setVersion] = useState(0);
  const moved = () => {
    list.reload();
    payments.reload();
    setVersion((n) => n + 1);
  };
  const agencyItems = agencies.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Energy assistance"
        subtitle="Pledges from community-action agencies hold collection until they expire. Record a pledge from the account's page; post the agency's check or file here when the money comes."
      />
      {agencies.error && <LoadError error={agencies.error} retry={agencies.reload} />}
      {canPost && agencies.data && <PostCheckCard agencies={agencyItems} onPosted={moved} />}
      <ListCard
        title="Pledges"
        filterLabel="Filter pledges"
        filters={
          <>
            <SelectField label="Status" name="status" options={statusOptions} blank="Any status" defaultValue={filters.status} />
            <SelectField label="Flagged" name="flagged" options={[{ value: 'true', label: 'Expired or short only' }]} blank="All pledges" defaultValue={filters.flagged} />
          </>
        }
        list={list}
        columns={pledgeColumns}
        empty={filters.flagged === 'true' ? 'No expired or short pledges.' : filters.status ? `No ${filters.status} pledges.` : 'No pledges yet.'}
        testId="pledges-list"
        newerLabel="Newer"
        olderLabel="Older"
      />
      <ReportCard version={version} />
      <ListCard title="Agency payments" list={payments} columns={agencyPaymentColumns} empty="No agency payments yet." testId="agency-payments-list" newerLabel="Newer" olderLabel="Older" />
      {(canImport) && agencies.data && (
        <div className="card-row card-row-2">
          <ImportFileCard agencies={agencyItems} onImported={moved} />
          <ReviewCard onDone={moved} />
        </div>
      )}
      {agencies.data && programs.data && <AgenciesCard agencies={agencyItems} programs={programs.data.items} onChange={() => { agencies.reload(); programs.reload(); }} />}
    </>
  );
}
