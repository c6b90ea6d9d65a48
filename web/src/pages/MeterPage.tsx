import { useState } from 'react';
import { api } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader, StatusBadge } from '../components/ui.tsx';
import { humanize } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { CorrectMeterDialog } from '../meter/CorrectMeterDialog.tsx';
import { RemoveMeterDialog } from '../meter/RemoveMeterDialog.tsx';
import { useCan } from '../session.tsx';
import type { Installation, Meter } from '../types.ts';

const installationColumns: Column<Installation>[] = [
  { header: 'Service point', cell: (i) => i.servicePointId },
  { header: 'Installed', className: 'nowrap', cell: (i) => i.installedOn },
  { header: 'Removed', className: 'nowrap', cell: (i) => i.removedOn ?? 'in service' },
];

export function MeterPage({ id }: { id: number }) {
  const meter = useApi(`meter:${id}`, (signal) => api.get<Meter & { installations: Installation[] }>(`/meters/${id}`, undefined, signal));
  const canChange = useCan('csr2');
  const [dialog, setDialog] = useState<'correct' | 'remove' | null>(null);
  const m = meter.data;
  useTitle(m ? `Meter ${m.serial}` : undefined);
  if (meter.error) return <LoadError error={meter.error} retry={meter.reload} />;
  if (!m) return <Loading what="Loading the meter" />;

  const current = m.installations.find((i) => i.removedOn === null);
  const close = () => setDialog(null);
  const saved = () => {
    setDialog(null);
    meter.reload();
  };

  return (
    <div data-testid="meter-page">
      <PageHeader
        title={<>Meter <span className="mono">{m.serial}</span></>}
        subtitle={<StatusBadge status={m.status} />}
        actions={
          canChange && (
            <>
              <button type="button" onClick={() => setDialog('correct')} data-testid="correct-meter">Correct record</button>
              {m.status === 'installed' && <button type="button" onClick={() => setDialog('remove')} data-testid="remove-meter">Remove meter</button>}
            </>
          )
        }
      />
      <Card title="Details">
        <Facts
          items={[
            ['Kind', humanize(m.kind)],
            ['Manufacturer', m.manufacturer],
            ['Model', m.model],
            ['Size', m.size],
            ['Multiplier', m.multiplier],
            ['Dials', m.dials],
          ]}
        />
      </Card>
      <Card title="Installations">
        {m.installations.length === 0 ? <Empty>Never installed.</Empty> : <DataTable columns={installationColumns} rows={m.installations} testId="installations-table" />}
      </Card>
      <CorrectMeterDialog meter={m} open={dialog === 'correct'} onClose={close} onSaved={saved} />
      <RemoveMeterDialog meter={m} installation={current} open={dialog === 'remove'} onClose={close} onSaved={saved} />
    </div>
  );
}
