import { useState } from 'react';
import type { Column } from '../components/DataTable.tsx';
import { TextField } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { PageHeader } from '../components/ui.tsx';
import { addressLine, humanize } from '../format.ts';
import { usePagedQuery, useQueryFilters } from '../hooks.ts';
import { NewPremiseDialog } from '../premise/NewPremiseDialog.tsx';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { Premise } from '../types.ts';

const columns: Column<Premise>[] = [
  { header: 'Address', cell: (p) => <Link to={`/premises/${p.id}`}>{addressLine(p.address)}</Link> },
  { header: 'Type', cell: (p) => humanize(p.premiseType) },
  { header: 'Area', cell: (p) => p.area },
  { header: 'Space heating', cell: (p) => (p.spaceHeating ? 'Yes' : 'No') },
];

export function PremisesPage() {
  const filters = useQueryFilters('address');
  const list = usePagedQuery<Premise>('/premises', filters, { limit: 25 });
  const canAdd = useCan('csr2');
  const [adding, setAdding] = useState(false);

  return (
    <>
      <PageHeader
        title="Premises"
        subtitle="Service addresses, with their electric, water and fiber service points."
        actions={canAdd && <button type="button" className="button-primary" onClick={() => setAdding(true)} data-testid="new-premise">New premise</button>}
      />
      <ListCard
        title="Premise list"
        filterLabel="Filter premises"
        filters={<TextField label="Address contains" name="address" defaultValue={filters.address} maxLength={100} />}
        list={list}
        columns={columns}
        empty="No premises match."
        testId="premises-table"
      />
      <NewPremiseDialog open={adding} onClose={() => setAdding(false)} />
    </>
  );
}
