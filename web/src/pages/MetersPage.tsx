import { useState } from 'react';
import type { Column } from '../components/DataTable.tsx';
import { SelectField, TextField } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { PageHeader, StatusBadge } from '../components/ui.tsx';
import { humanize } from '../format.ts';
import { usePagedQuery, useQueryFilters } from '../hooks.ts';
import { ReceiveMeterDialog } from '../meter/ReceiveMeterDialog.tsx';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { meterStatuses, type Meter } from '../types.ts';

const columns: Column<Meter>[] = [
  { header: 'Serial', cell: (m) => <Link to={`/meters/${m.id}`} className="mono">{m.serial}</Link> },
  { header: 'Kind', cell: (m) => humanize(m.kind) },
  { header: 'Status', cell: (m) => <StatusBadge status={m.status} /> },
  { header: 'Make and model', cell: (m) => [m.manufacturer, m.model].filter(Boolean).join(' ') || '—' },
  { header: 'Size', cell: (m) => m.size ?? '—' },
  { header: 'Multiplier', className: 'num', cell: (m) => m.multiplier },
  { header: 'Dials', className: 'num', cell: (m) => m.dials },
];

export function MetersPage() {
  const filters = useQueryFilters('serial', 'status');
  const list = usePagedQuery<Meter>('/meters', filters, { limit: 25 });
  const canReceive = useCan('csr2');
  const [receiving, setReceiving] = useState(false);

  return (
    <>
      <PageHeader title="Meters" actions={canReceive && <button type="button" className="button-primary" onClick={() => setReceiving(true)} data-testid="receive-meter">Receive meter</button>} />
      <ListCard
        title="Meter list"
        filterLabel="Filter meters"
        filters={
          <>
            <TextField label="Serial starts with" name="serial" defaultValue={filters.serial} maxLength={40} />
            <SelectField label="Status" name="status" options={meterStatuses} blank="Any status" defaultValue={filters.status} />
          </>
        }
        list={list}
        columns={columns}
        empty="No meters match."
        testId="meters-table"
      />
      <ReceiveMeterDialog open={receiving} onClose={() => setReceiving(false)} />
    </>
  );
}
