import { useRef, useState } from 'react';
import { api, ApiError } from '../api.ts';
import { parseDollars } from '../billing/money.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Dialog, FormDialog } from '../components/Dialog.tsx';
import { CheckboxField, clientError, ErrorMessage, optional, ReasonField, TextAreaField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, Facts, LoadError, Loading, SuccessBanner } from '../components/ui.tsx';
import { formatCents, utilityToday } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { AccountMedical, AccountProtections, Arrangement, Dispute, MedicalCertificate, MedicalNotice, WinterQuote } from '../types.ts';
import { InstalmentTable, ProtectionTable } from './labels.tsx';

type DialogKind = 'notice' | 'certificate' | 'winter' | 'dispute';

/**
 * The account's protections: what holds collections back today and why (medical notices and
 * certificates, winter protection, heat alerts, an energy-assistance pledge, a payment arrangement
 * in good standing, disputed amounts), with their dates. A CSR records a medical emergency told to
 * the district, a written certificate (the third in 120 days is refused with the limit named),
 * the customer's winter protection request (its plan worked out and shown before saving) and a
 * dispute; a CSR II resolves disputes and ends certificates. `version` changes when money moved
 * elsewhere on the page (a payment may complete the 10% a certificate needs).
 */
export function ProtectionsCard({ accountId, accountNumber, version = 0, onChange }: { accountId: number; accountNumber?: string; version?: number; onChange?(): void }) {
  const canRecord = useCan('csr1');
  const canResolve = useCan('csr2');
  const [generation, setGeneration] = useState(0);
  const key = `${accountId}:${version}:${generation}`;
  const inForce = useApi(`protections:${key}`, (signal) => api.get<AccountProtections>(`/accounts/${accountId}/protections`, undefined, signal));
  const medical = useApi(`medical:${key}`, (signal) => api.get<AccountMedical>(`/accounts/${accountId}/medical`, undefined, signal));
  const disputes = useApi(`disputes:${key}`, (signal) => api.get<{ items: Dispute[] }>(`/accounts/${accountId}/disputes`, undefined, signal));
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  const [resolving, setResolving] = useState<Dispute | null>(null);
  const [ending, setEnding] = useState<MedicalCertificate | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const changed = (text: string) => {
    setDialog(null);
    setResolving(null);
    setEnding(null);
    setDone(text);
    setGeneration((g) => g + 1);
    onChange?.();
  };
  const open = (d: DialogKind) => {
    setDone(null);
    setDialog(d);
  };
  const openDisputes = (disputes.data?.items ?? []).filter((d) => d.open);
  const certificates = medical.data?.certificates ?? [];
  const notices = medical.data?.notices ?? [];

  const disputeColumns: Column<Dispute>[] = [
    { header: 'Opened', className: 'nowrap', cell: (d) => d.openedOn },
    { header: 'Amount', className: 'num nowrap', cell: (d) => <span data-testid="dispute-amount">{formatCents(d.amountCents)}</span> },
    { header: 'About', cell: (d) => d.about },
  ];
  if (canResolve) {
    disputeColumns.push({
      header: <span className="visually-hidden">Actions</span>, className: 'actions-cell',
      cell: (d) => <button type="button" className="button-small" onClick={() => { setDone(null); setResolving(d); }} data-testid="resolve-dispute" aria-label={`Resolve the dispute of ${formatCents(d.amountCents)} opened ${d.openedOn}`}>Resolve</button>,
    });
  }

  const certificateColumns: Column<MedicalCertificate>[] = [
    { header: 'Received', className: 'nowrap', cell: (c) => c.receivedOn },
    { header: 'From', cell: (c) => c.professionalName },
    { header: '10% to pay', className: 'num nowrap', cell: (c) => <span data-testid="certificate-due">{formatCents(c.paymentDueCents)}</span> },
    { header: 'Paid since', className: 'nowrap', cell: (c) => (c.paid ? <span className="badge badge-good" data-testid="certificate-paid">Paid</span> : <span className="badge badge-warn" data-testid="certificate-paid">{formatCents(c.paidCents)} paid</span>) },
    { header: 'Holds to', className: 'nowrap', cell: (c) => (c.endedOn ? <span className="muted">Ended {c.endedOn}</span> : c.paid ? c.holdsUntil : <span title={`${c.holdsUntil} once paid`}>{c.noticeHoldsUntil} (until paid)</span>) },
  ];
  if (canResolve) {
    certificateColumns.push({
      header: <span className="visually-hidden">Actions</span>, className: 'actions-cell',
      cell: (c) => !c.endedOn && c.holdsUntil >= utilityToday() && <button type="button" className="button-small" onClick={() => { setDone(null); setEnding(c); }} data-testid="end-certificate" aria-label={`End the certificate received ${c.receivedOn}`}>End</button>,
    });
  }

  return (
    <Card
      title="Protections"
      testId="protections-card"
      actions={
        canRecord && (
          <>
            <button type="button" className="button-small" onClick={() => open('notice')} data-testid="record-medical-notice">Medical notice</button>
            <button type="button" className="button-small" onClick={() => open('certificate')} data-testid="record-certificate">Medical certificate</button>
            <button type="button" className="button-small" onClick={() => open('winter')} data-testid="record-winter">Winter protection</button>
            <button type="button" className="button-small" onClick={() => open('dispute')} data-testid="open-dispute">Open a dispute</button>
          </>
        )
      }
    >
      <SuccessBanner message={done} testId="protection-done" className="small" />
      <h3 className="subheading">In force today{inForce.data ? ` (${inForce.data.date})` : ''}</h3>
      {inForce.error ? (
        <LoadError error={inForce.error} retry={inForce.reload} />
      ) : !inForce.data ? (
        <Loading what="Checking the protections" />
      ) : inForce.data.items.length === 0 ? (
        <p className="muted small" data-testid="protections-none">No protection is in force today: collections acts on this account as usual.</p>
      ) : (
        <ProtectionTable items={inForce.data.items} />
      )}
      {openDisputes.length > 0 && (
        <>
          <h3 className="subheading">Open disputes</h3>
          <DataTable columns={disputeColumns} rows={openDisputes} testId="disputes-table" />
        </>
      )}
      {(certificates.length > 0 || notices.length > 0) && (
        <details className="alert-older" data-testid="medical-history" open={certificates.some((c) => !c.endedOn && c.holdsUntil >= utilityToday())}>
          <summary>Medical: {certificates.length} certificate{certificates.length === 1 ? '' : 's'}, {notices.length} notice{notices.length === 1 ? '' : 's'} (at most {medical.data?.limit.maxCertificates} certificates in {medical.data?.limit.withinDays} days)</summary>
          {certificates.length > 0 && <DataTable columns={certificateColumns} rows={certificates} testId="certificates-table" />}
          {notices.length > 0 && (
            <ul className="plain-list small">
              {notices.map((n) => <li key={n.id}>Told {n.toldOn} by {n.toldBy}: held to {n.holdsUntil}{n.endedOn ? ` (ended ${n.endedOn})` : ''}</li>)}
            </ul>
          )}
        </details>
      )}
      <p className="small">
        <Link to={`/arrangements${accountNumber ? `?account=${accountNumber}` : ''}`} data-testid="arrangements-link">Payment arrangements →</Link>
      </p>
      {canRecord && (
        <>
          <MedicalNoticeDialog accountId={accountId} open={dialog === 'notice'} onClose={() => setDialog(null)} onSaved={(n) => changed(`Medical emergency recorded: disconnection is postponed to ${n.holdsUntil}.`)} />
          <CertificateDialog accountId={accountId} open={dialog === 'certificate'} onClose={() => setDialog(null)} onSaved={(c) => changed(`Medical certificate from ${c.professionalName} recorded: it holds disconnection to ${c.holdsUntil} once ${formatCents(c.paymentDueCents)} is paid${c.paid ? ' (paid)' : `; until then to ${c.noticeHoldsUntil}`}.`)} />
          <WinterDialog accountId={accountId} open={dialog === 'winter'} onClose={() => setDialog(null)} onSaved={(a) => changed(`Winter protection recorded: plan ${a.id}, ${formatCents(a.winter?.plan.paymentCents ?? 0)} a month, paid in full by ${a.winter?.plan.payInFullBy}.`)} />
          <DisputeDialog accountId={accountId} open={dialog === 'dispute'} onClose={() => setDialog(null)} onSaved={(d) => changed(`Dispute of ${formatCents(d.amountCents)} opened: it is not collected while open.`)} />
        </>
      )}
      {canResolve && (
        <>
          <ResolveDisputeDialog dispute={resolving} onClose={() => setResolving(null)} onSaved={(d) => changed(`Dispute ${d.id} resolved: ${d.outcome}`)} />
          <EndCertificateDialog certificate={ending} onClose={() => setEnding(null)} onSaved={(c) => changed(`Medical certificate ${c.id} ended on ${c.endedOn}.`)} />
        </>
      )}
    </Card>
  );
}

function MedicalNoticeDialog({ accountId, open, onClose, onSaved }: { accountId: number; open: boolean; onClose(): void; onSaved(n: MedicalNotice): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<MedicalNotice>(`/accounts/${accountId}/medical-notices`, { toldOn: v.toldOn || undefined, toldBy: v.toldBy ?? '', note: optional(v.note), reason: v.reason ?? '' }));
  }, open);
  const { error } = form;
  return (
    <FormDialog title="A medical emergency told to the district" open={open} onClose={onClose} testId="medical-notice-dialog" form={form} submitLabel="Record the notice" submitTestId="save-medical-notice">
      <p className="field-wide small muted">Disconnection of residential service waits 5 business days; a written certificate from a medical professional can then hold it up to 60 days.</p>
      <TextField label="Told by" name="toldBy" field={['body.toldBy', 'toldBy']} error={error} required autoFocus placeholder="e.g. the customer, by phone" />
      <TextField label="Told on" name="toldOn" type="date" field={['body.toldOn', 'toldOn']} error={error} defaultValue={utilityToday()} required />
      <TextAreaField label="Note" name="note" field={['body.note', 'note']} error={error} wide hint="Optional" />
      <ReasonField error={error} required placeholder="e.g. Customer called: oxygen concentrator at home" />
    </FormDialog>
  );
}

function CertificateDialog({ accountId, open, onClose, onSaved }: { accountId: number; open: boolean; onClose(): void; onSaved(c: MedicalCertificate): void }) {
  const form = useSubmit(async (v) => {
    let delinquentCents: number | undefined;
    if (v.delinquent) {
      const cents = parseDollars(v.delinquent);
      if (cents === null) throw clientError('body.delinquentCents', 'Write the delinquent balance in dollars and cents, e.g. 412.50');
      delinquentCents = cents;
    }
    onSaved(await api.post<MedicalCertificate>(`/accounts/${accountId}/medical-certificates`, { receivedOn: v.receivedOn || undefined, professionalName: v.professionalName ?? '', delinquentCents, note: optional(v.note), reason: v.reason ?? '' }));
  }, open);
  const { error } = form;
  return (
    <FormDialog title="A written medical certificate" open={open} onClose={onClose} testId="certificate-dialog" form={form} submitLabel="Record the certificate" submitTestId="save-certificate">
      <p className="field-wide small muted">It holds disconnection 60 days from receipt once 10% of the delinquent balance is paid (until then only 5 business days). At most 2 certificates in 120 days.</p>
      <TextField label="Certifying professional" name="professionalName" field={['body.professionalName', 'professionalName']} error={error} required autoFocus placeholder="e.g. Dr. Ames, Wenatchee Valley Clinic" wide />
      <TextField label="Received on" name="receivedOn" type="date" field={['body.receivedOn', 'receivedOn']} error={error} defaultValue={utilityToday()} required />
      <TextField label="Delinquent balance ($)" name="delinquent" field={['body.delinquentCents', 'delinquentCents']} error={error} inputMode="decimal" autoComplete="off" hint="Blank: what is past due on the day received" />
      <TextAreaField label="Note" name="note" field={['body.note', 'note']} error={error} wide hint="Optional" />
      <ReasonField error={error} required placeholder="e.g. Certificate faxed by the clinic" />
    </FormDialog>
  );
}

/** Dollars typed in a field to cents, or undefined when blank; the field named when it is not an amount. */
function centsField(value: string | undefined, field: string, what: string): number | undefined {
  if (!value) return undefined;
  const cents = parseDollars(value);
  if (cents === null) throw clientError(field, `Write ${what} in dollars and cents, e.g. 150.00`);
  return cents;
}

/** The request's fields, as the quote and the request take them. */
function winterBody(form: HTMLFormElement) {
  const v: Record<string, string> = {};
  for (const [key, value] of new FormData(form)) if (typeof value === 'string') v[key] = value.trim();
  const income = parseDollars(v.income ?? '');
  if (income === null) throw clientError('body.monthlyIncomeCents', 'Write the household\'s monthly income in dollars and cents, e.g. 2400.00');
  return {
    values: v,
    body: {
      noticeDate: v.noticeDate ?? '', requestedOn: v.requestedOn || undefined, monthlyIncomeCents: income, incomeDocumentedTo: v.incomeDocumentedTo ?? '',
      appliedEnergyAssistance: v.appliedEnergyAssistance === 'on', appliedWeatherization: v.appliedWeatherization === 'on',
      arrearsCents: centsField(v.arrears, 'body.arrearsCents', 'the arrears'), estimatedMonthlyBillCents: centsField(v.estimate, 'body.estimatedMonthlyBillCents', 'the estimated monthly bill'),
      firstDueOn: v.firstDueOn || undefined,
    },
  };
}

/** The plan a request makes, shown before it is saved, with anything that would refuse it. */
function WinterPlanView({ q }: { q: WinterQuote }) {
  return (
    <div className="field-wide" data-testid="winter-quote">
      {q.plan ? (
        <>
          <Facts
            items={[
              ['Monthly payment', <strong data-testid="winter-payment">{formatCents(q.plan.paymentCents)}</strong>],
              ['Cap (7% of income + 1/12 of arrears)', <span data-testid="winter-cap">{formatCents(q.plan.capCents)}</span>],
              ['Needed (bill + arrears over the months)', formatCents(q.plan.neededCents)],
              ['Arrears', <span data-testid="winter-arrears">{formatCents(q.arrearsCents)}</span>],
              ['Estimated monthly bill', <>{formatCents(q.estimatedMonthlyBillCents ?? 0)} <span className="muted small">({q.estimateFrom === 'history' ? 'average of the last 12 months' : 'given'})</span></>],
              ['Paid in full by', `${q.plan.payInFullBy} (${q.plan.months} months)`],
              ['Season', q.inSeason ? `In season to ${q.seasonLastDay}: disconnection is held while the plan is kept` : 'Outside the season: the plan runs as a payment arrangement'],
              ['Asked by', `${q.requestDeadline} (5 business days after the notice of ${q.noticeDate})`],
            ]}
          />
          {!q.plan.clearsArrears && <p className="notice small" data-testid="winter-short">The capped payment does not clear the arrears by {q.plan.payInFullBy}: the rest falls due with the last instalment.</p>}
          <InstalmentTable instalments={q.instalments} testId="winter-instalments" />
        </>
      ) : (
        <p className="muted">No plan can be worked out yet.</p>
      )}
      {q.problems.length > 0 ? (
        <div className="error-banner" role="alert" data-testid="winter-problems">
          It would be refused:
          <ul className="plain-list">{q.problems.map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      ) : (
        <p className="success-banner small" data-testid="winter-ok">Every condition is met.</p>
      )}
    </div>
  );
}

/**
 * The customer's winter protection request (RCW 54.16.285): the delinquency notice it answers,
 * the household's income documented to a grantee, energy assistance and weatherization applied
 * for. "Work out the plan" shows the plan and anything in the way; saving makes it.
 */
function WinterDialog({ accountId, open, onClose, onSaved }: { accountId: number; open: boolean; onClose(): void; onSaved(a: Arrangement): void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [quote, setQuote] = useState<WinterQuote | null>(null);
  const form = useSubmit(async (v, el) => {
    const { body } = winterBody(el);
    onSaved(await api.post<Arrangement>(`/accounts/${accountId}/winter-protection`, { ...body, reason: v.reason ?? '' }));
  }, open);
  const [quoting, setQuoting] = useState(false);
  const workOut = async () => {
    if (!formRef.current) return;
    form.setError(null);
    setQuoting(true);
    try {
      const { body } = winterBody(formRef.current);
      setQuote(await api.get<WinterQuote>(`/accounts/${accountId}/winter-protection/quote`, body));
    } catch (e) {
      setQuote(null);
      form.setError(e instanceof ApiError ? e : new ApiError(0, 'client', (e as Error).message));
    } finally {
      setQuoting(false);
    }
  };
  const close = () => {
    setQuote(null);
    onClose();
  };
  const { error } = form;
  return (
    <Dialog title="Winter protection request" open={open} onClose={close} testId="winter-dialog">
      <form ref={formRef} onSubmit={form.onSubmit} className="form-grid" noValidate onChange={(e) => { if ((e.nativeEvent.target as HTMLInputElement | null)?.name !== 'reason') setQuote(null); }}>
        <ErrorMessage error={form.error} />
        <p className="field-wide small muted">From November 15 to March 15 residential space-heating service is not disconnected while the customer keeps a plan of at most 7% of monthly income plus 1/12 of the arrears, paid in full by October 15.</p>
        <TextField label="Delinquency notice of" name="noticeDate" type="date" field={['body.noticeDate', 'noticeDate', 'querystring.noticeDate']} error={error} required autoFocus />
        <TextField label="Asked on" name="requestedOn" type="date" field={['body.requestedOn', 'requestedOn']} error={error} defaultValue={utilityToday()} required />
        <TextField label="Household monthly income ($)" name="income" field={['body.monthlyIncomeCents', 'monthlyIncomeCents']} error={error} inputMode="decimal" autoComplete="off" required />
        <TextField label="Income documented to (grantee)" name="incomeDocumentedTo" field={['body.incomeDocumentedTo', 'incomeDocumentedTo']} error={error} placeholder="e.g. Chelan-Douglas Community Action Council" />
        <CheckboxField label="Applied for energy assistance" name="appliedEnergyAssistance" />
        <CheckboxField label="Applied for weatherization" name="appliedWeatherization" />
        <TextField label="Estimated monthly bill ($)" name="estimate" field={['body.estimatedMonthlyBillCents', 'estimatedMonthlyBillCents']} error={error} inputMode="decimal" autoComplete="off" hint="Blank: the average of the last 12 months' bills" />
        <TextField label="Arrears ($)" name="arrears" field={['body.arrearsCents', 'arrearsCents']} error={error} inputMode="decimal" autoComplete="off" hint="Blank: what is past due on the day asked" />
        <TextField label="First instalment due" name="firstDueOn" type="date" field={['body.firstDueOn', 'firstDueOn']} error={error} hint="Blank: the day asked" />
        <div className="form-actions field-wide">
          <button type="button" onClick={workOut} disabled={quoting} data-testid="quote-winter">{quoting ? 'Working it out…' : 'Work out the plan'}</button>
        </div>
        {quote && <WinterPlanView q={quote} />}
        <ReasonField error={error} required placeholder="e.g. Customer asked for winter protection at the counter" />
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={form.busy || !quote || quote.problems.length > 0} data-testid="save-winter">Record winter protection</button>
          <button type="button" onClick={close}>Cancel</button>
        </div>
        {!quote && <p className="small muted field-wide">Work out the plan first: it is shown before it is saved.</p>}
      </form>
    </Dialog>
  );
}

function DisputeDialog({ accountId, open, onClose, onSaved }: { accountId: number; open: boolean; onClose(): void; onSaved(d: Dispute): void }) {
  const form = useSubmit(async (v) => {
    const cents = parseDollars(v.amount ?? '');
    if (cents === null || cents === 0) throw clientError('body.amountCents', 'Write the amount in dispute in dollars and cents, e.g. 84.10');
    onSaved(await api.post<Dispute>(`/accounts/${accountId}/disputes`, { amountCents: cents, about: v.about ?? '', openedOn: v.openedOn || undefined, reason: v.reason ?? '' }));
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Open a dispute" open={open} onClose={onClose} testId="dispute-dialog" form={form} submitLabel="Open the dispute" submitTestId="save-dispute">
      <p className="field-wide small muted">While the dispute is open, the amount is taken out of what collections acts on.</p>
      <TextField label="Amount in dispute ($)" name="amount" field={['body.amountCents', 'amountCents']} error={error} inputMode="decimal" autoComplete="off" required autoFocus />
      <TextField label="Opened on" name="openedOn" type="date" field={['body.openedOn', 'openedOn']} error={error} defaultValue={utilityToday()} required />
      <TextAreaField label="What it is about" name="about" field={['body.about', 'about']} error={error} required wide placeholder="e.g. October bill: the customer says the meter read is wrong" />
      <ReasonField error={error} required placeholder="e.g. Customer called to dispute the bill" />
    </FormDialog>
  );
}

function ResolveDisputeDialog({ dispute, onClose, onSaved }: { dispute: Dispute | null; onClose(): void; onSaved(d: Dispute): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<Dispute>(`/disputes/${dispute!.id}/resolve`, { outcome: v.outcome ?? '', resolvedOn: v.resolvedOn || undefined, reason: v.reason ?? '' }));
  }, dispute);
  const { error } = form;
  return (
    <FormDialog title="Resolve the dispute" open={dispute !== null} onClose={onClose} testId="resolve-dispute-dialog" form={form} submitLabel="Resolve" submitTestId="save-resolve-dispute">
      {dispute && <p className="field-wide">{formatCents(dispute.amountCents)} in dispute since {dispute.openedOn}: {dispute.about}</p>}
      <TextAreaField label="Outcome" name="outcome" field={['body.outcome', 'outcome']} error={error} required autoFocus wide placeholder="e.g. Meter re-read: the October read stands" />
      <TextField label="Resolved on" name="resolvedOn" type="date" field={['body.resolvedOn', 'resolvedOn']} error={error} defaultValue={utilityToday()} required />
      <ReasonField error={error} required placeholder="e.g. Field check done" />
    </FormDialog>
  );
}

function EndCertificateDialog({ certificate, onClose, onSaved }: { certificate: MedicalCertificate | null; onClose(): void; onSaved(c: MedicalCertificate): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<MedicalCertificate>(`/medical-certificates/${certificate!.id}/end`, { reason: v.reason ?? '' }));
  }, certificate);
  const { error } = form;
  return (
    <FormDialog title="End the medical certificate" open={certificate !== null} onClose={onClose} testId="end-certificate-dialog" form={form} submitLabel="End it today" submitTestId="save-end-certificate">
      {certificate && <p className="field-wide">From {certificate.professionalName}, received {certificate.receivedOn}, holding to {certificate.paid ? certificate.holdsUntil : certificate.noticeHoldsUntil}. It stops holding disconnection today.</p>}
      <ReasonField error={error} required autoFocus placeholder="e.g. The clinic says the equipment went back" />
    </FormDialog>
  );
}

