import { useState } from 'react';
import { api, apiUrl } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { clientError, ErrorMessage, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { Card, Facts, PageHeader } from '../components/ui.tsx';
import { formatTimestamp } from '../format.ts';
import { useApi, usePagedQuery } from '../hooks.ts';
import { Link } from '../router.tsx';
import type { ImportResult, ReadImport } from '../types.ts';

type Format = 'csv' | 'greenbutton';
type Rejection = ImportResult['rejections'][number];

const rejectionColumns: Column<Rejection>[] = [
  { header: 'Line', className: 'num', cell: (r) => r.line ?? '—' },
  { header: 'Meter', cell: (r) => (r.serial ? <span className="mono">{r.serial}</span> : '—') },
  { header: 'Why it was rejected', cell: (r) => r.reason },
];

const importColumns: Column<ReadImport>[] = [
  { header: 'File', cell: (i) => <a href={apiUrl(`/read-imports/${i.id}/file`)} download>{i.fileName}</a> },
  { header: 'Format', cell: (i) => (i.format === 'csv' ? `CSV (${i.layoutCode ?? 'standard'})` : 'Green Button') },
  { header: 'Records', className: 'num', cell: (i) => i.records },
  { header: 'Imported', className: 'num', cell: (i) => i.imported },
  { header: 'Rejected', className: 'num', cell: (i) => i.rejected },
  { header: 'Duplicates', className: 'num', cell: (i) => i.duplicates },
  { header: 'When', className: 'nowrap', cell: (i) => formatTimestamp(i.createdAt) },
];

const formats: { value: Format; label: string; accept: string; contentType: string }[] = [
  { value: 'csv', label: 'CSV read file', accept: '.csv,.txt,text/csv,text/plain', contentType: 'text/csv' },
  { value: 'greenbutton', label: 'Green Button (interval XML)', accept: '.xml,application/xml,text/xml,application/atom+xml', contentType: 'application/xml' },
];

/** What an import did: the counts and each rejected record with its line and reason. */
function ImportSummary({ result }: { result: ImportResult }) {
  return (
    <Card title={`Imported ${result.fileName}`} testId="import-result">
      {result.duplicate ? (
        <p className="notice" role="status">This file was imported before (import {result.importId}); nothing was imported now.</p>
      ) : (
        <p className="success-banner" role="status">
          {result.imported} of {result.records} record{result.records === 1 ? '' : 's'} imported{result.rejected ? `, ${result.rejected} rejected` : ''}.
        </p>
      )}
      <Facts
        items={[
          ['Records', <span data-testid="import-records">{result.records}</span>],
          ['Imported', <span data-testid="import-imported">{result.imported}</span>],
          ['Rejected', <span data-testid="import-rejected">{result.rejected}</span>],
          ['Already on file', result.duplicates],
          ['Held for review', result.exceptions ? <Link to="/read-exceptions">{result.exceptions} in read exceptions</Link> : 0],
        ]}
      />
      {result.rejections.length > 0 && (
        <>
          <h3 className="subheading">Rejected records</h3>
          <DataTable columns={rejectionColumns} rows={result.rejections} rowKey={(r) => `${r.line}:${r.serial}:${r.reason}`} testId="import-rejections" />
        </>
      )}
    </Card>
  );
}

/**
 * Import a read file: a CSV file of register reads in a configured column layout, or a Green Button
 * file of interval data for one meter. The file is sent whole and imported once.
 */
export function ReadImportPage() {
  const [format, setFormat] = useState<Format>('csv');
  const [result, setResult] = useState<ImportResult | null>(null);
  const layouts = useApi('read-file-layouts', (signal) => api.get<{ code: string; description?: string }[]>('/read-file-layouts', undefined, signal));
  const imports = usePagedQuery<ReadImport>('/read-imports', {}, { limit: 10 });
  const chosen = formats.find((f) => f.value === format)!;
  const layoutOptions = [{ code: 'standard', description: 'Ratepayer standard' }, ...(layouts.data ?? []).filter((l) => l.code !== 'standard')].map((l) => ({ value: l.code, label: l.description ? `${l.code}: ${l.description}` : l.code }));

  const form = useSubmit(async (v, formElement) => {
    const input = formElement.elements.namedItem('file') as HTMLInputElement | null;
    const file = input?.files?.[0];
    if (!file) throw clientError('file', 'Choose the file to import');
    if (format === 'greenbutton' && !v.meter) throw clientError('querystring.meter', 'Say which meter the Green Button file is of');
    setResult(null);
    const query = format === 'csv' ? { format, fileName: file.name, layout: v.layout } : { format, fileName: file.name, meter: v.meter?.toUpperCase() };
    setResult(await api.upload<ImportResult>('/read-imports', query, file, chosen.contentType));
    imports.reload();
  });
  const { error, busy, onSubmit } = form;

  return (
    <>
      <PageHeader title="Read import" subtitle="Handheld and head-end CSV files of register reads, and Green Button interval files. A file is imported once; a malformed file imports nothing." />
      <Card title="Import a read file" testId="read-import">
        <form onSubmit={onSubmit} className="form-grid form-page" noValidate data-testid="read-import-form">
          <ErrorMessage error={error} />
          <fieldset className="radio-row field-wide">
            <legend>Format</legend>
            {formats.map((f) => (
              <label key={f.value}>
                <input type="radio" name="format" value={f.value} checked={format === f.value} onChange={() => setFormat(f.value)} /> {f.label}
              </label>
            ))}
          </fieldset>
          {format === 'csv' ? (
            <SelectField label="Layout" name="layout" field={['querystring.layout', 'layout']} error={error} options={layoutOptions} defaultValue="standard" hint="The column layout of the file" />
          ) : (
            <TextField label="Meter serial" name="meter" field={['querystring.meter', 'meterSerial']} error={error} required maxLength={40} autoComplete="off" spellCheck={false} className="mono" hint="The meter the file's interval data is of" />
          )}
          <TextField label="File" name="file" type="file" field={['file', 'body', 'querystring.fileName']} error={error} accept={chosen.accept} required hint={format === 'csv' ? 'Standard layout: meter_serial,read_date,reading[,read_time,read_type,rollover,note]' : 'ESPI Atom XML'} />
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={busy} data-testid="upload-reads">
              {busy ? 'Importing…' : 'Upload and import'}
            </button>
          </div>
        </form>
      </Card>
      {result && <ImportSummary result={result} />}
      <ListCard title="Files imported" list={imports} empty="No read files imported yet." columns={importColumns} testId="read-imports-table" />
    </>
  );
}
