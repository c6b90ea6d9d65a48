import { useState } from 'react';
import type { Column } from '../components/DataTable.tsx';
import { SelectField } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { PageHeader, SuccessBanner } from '../components/ui.tsx';
import { humanize } from '../format.ts';
import { usePagedQuery, useQueryFilters } from '../hooks.ts';
import { AcceptReadDialog, CorrectReadDialog, VoidReadDialog } from '../read/ReadExceptionDialogs.tsx';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { readExceptionCodes, type ReadException } from '../types.ts';

type Action = { kind: 'accept' | 'correct' | 'void'; exception: ReadException } | null;

function columns(act: ((kind: 'accept' | 'correct' | 'void', x: ReadException) => void) | null): Column<ReadException>[] {
  const cols: Column<ReadException>[] = [
    { header: 'Read date', className: 'nowrap', cell: (x) => x.readDate },
    {
      header: 'Meter',
      cell: (x) => (
        <>
          <Link to={`/meters/${x.meterId}`} className="mono">{x.serial}</Link>
          <div><span className={`service-tag service-${x.service}`}>{humanize(x.service)}</span></div>
        </>
      ),
    },
    {
      header: 'Account and address',
      cell: (x) => (
        <>
          {x.accountId ? <Link to={`/accounts/${x.accountId}`} className="mono">{x.accountNumber}</Link> : <span className="muted">no account</span>}
          <div className="muted small">{x.address}</div>
        </>
      ),
    },
    { header: 'Reading', className: 'num', cell: (x) => <span className="mono">{x.reading}</span> },
    { header: 'Use', className: 'num nowrap', cell: (x) => (x.usage === null ? '—' : `${x.usage} ${x.unit}`) },
    {
      header: 'Exception',
      cell: (x) => (
        <>
          <strong className="exception-code">{humanize(x.code)}</strong>
          <div className="small">{x.message}</div>
          <div className="muted small">{humanize(x.readType)} read</div>
        </>
      ),
    },
  ];
  if (act) {
    cols.push({
      header: <span className="visually-hidden">Actions</span>,
      className: 'actions-cell',
      cell: (x) => {
        const what = `the read of meter ${x.serial} on ${x.readDate}`;
        return (
          <div className="row-actions">
            <button type="button" className="button-small" onClick={() => act('accept', x)} aria-label={`Accept ${what}`} data-testid="accept-read">Accept</button>
            <button type="button" className="button-small" onClick={() => act('correct', x)} aria-label={`Correct ${what}`} data-testid="correct-read">Correct</button>
            <button type="button" className="button-small" onClick={() => act('void', x)} aria-label={`Void ${what}`} data-testid="void-read">Void</button>
          </div>
        );
      },
    });
  }
  return cols;
}

/** The read-exceptions queue: reads that failed validation, oldest first, to accept, correct or void. */
export function ReadExceptionsPage() {
  const filters = useQueryFilters('code');
  const list = usePagedQuery<ReadException>('/read-exceptions', filters, { limit: 25 });
  const canResolve = useCan('csr2');
  const [action, setAction] = useState<Action>(null);
  const [done, setDone] = useState<string | null>(null);
  const close = () => setAction(null);
  const saved = (message: string) => {
    setAction(null);
    setDone(message);
    list.reload();
  };
  const pick = (kind: 'accept' | 'correct' | 'void') => (action?.kind === kind ? action.exception : null);

  return (
    <>
      <PageHeader title="Read exceptions" subtitle="Reads held by validation: accept a read that is right, correct a misread, or void a read that should not count." />
      <SuccessBanner message={done} testId="read-exception-done" />
      <ListCard
        title="Open exceptions"
        filterLabel="Filter read exceptions"
        filters={<SelectField label="Exception" name="code" options={readExceptionCodes} blank="Any exception" defaultValue={filters.code} />}
        list={list}
        columns={columns(canResolve ? (kind, exception) => { setDone(null); setAction({ kind, exception }); } : null)}
        empty="No open read exceptions."
        testId="read-exceptions-table"
      />
      <AcceptReadDialog exception={pick('accept')} onClose={close} onSaved={saved} />
      <CorrectReadDialog exception={pick('correct')} onClose={close} onSaved={saved} />
      <VoidReadDialog exception={pick('void')} onClose={close} onSaved={saved} />
    </>
  );
}
