import { useState } from 'react';
import { api } from '../api.ts';
import { ServiceTag } from '../billing/badges.tsx';
import { LoadTariffButton } from '../billing/LoadTariffDialog.tsx';
import { inForce } from '../billing/tariffVersions.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { formatTimestamp, utilityToday } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { StoredTariffVersion } from '../types.ts';

function columns(today: string, current: Set<number>): Column<StoredTariffVersion>[] {
  return [
    { header: 'Code', className: 'nowrap', cell: (v) => <Link to={`/tariffs/${encodeURIComponent(v.code)}`} className="mono">{v.code}</Link> },
    { header: 'Name', cell: (v) => v.name },
    { header: 'Service', cell: (v) => <ServiceTag service={v.service} /> },
    { header: 'Version', className: 'num', cell: (v) => `v${v.version}` },
    { header: 'Effective from', className: 'nowrap', cell: (v) => v.effectiveFrom },
    {
      header: 'In force',
      cell: (v) =>
        current.has(v.id) ? <span className="badge badge-good">In force</span> : v.effectiveFrom > today ? <span className="badge badge-info">From {v.effectiveFrom}</span> : <span className="badge badge-muted">Replaced</span>,
    },
    { header: 'Loaded', className: 'nowrap', cell: (v) => <span title={v.reason}>{formatTimestamp(v.loadedAt)}</span> },
  ];
}

/** The rate schedules: the live version of every code by effective date; a supervisor loads new files. */
export function TariffsPage() {
  const list = useApi('tariffs', (signal) => api.get<{ items: StoredTariffVersion[] }>('/tariffs', undefined, signal));
  const canLoad = useCan('supervisor');
  const [done, setDone] = useState<string | null>(null);
  const today = utilityToday();
  const items = list.data?.items ?? [];
  const codes = [...new Set(items.map((v) => v.code))];
  const current = new Set(codes.map((code) => inForce(items.filter((v) => v.code === code), today)?.id).filter((id): id is number => id !== undefined));

  return (
    <>
      <PageHeader
        title="Rates"
        subtitle="Rate schedules (tariffs) as loaded files: each version is in force from its effective date until the next version of its code."
        actions={
          <>
            <Link to="/quote" className="button">Quote a bill</Link>
            {canLoad && (
              <LoadTariffButton
                onOpen={() => setDone(null)}
                onLoaded={(message) => {
                  setDone(message);
                  list.reload();
                }}
              />
            )}
          </>
        }
      />
      <SuccessBanner message={done} testId="tariff-loaded" />
      <Card title="Tariffs" testId="tariffs">
        {list.error ? (
          <LoadError error={list.error} retry={list.reload} />
        ) : !list.data ? (
          <Loading what="Loading the tariffs" />
        ) : items.length === 0 ? (
          <Empty>No tariffs are loaded.{canLoad ? ' Load a tariff file to start.' : ''}</Empty>
        ) : (
          <DataTable columns={columns(today, current)} rows={items} testId="tariffs-table" />
        )}
      </Card>
    </>
  );
}
