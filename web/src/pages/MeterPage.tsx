import { api } from '../api.ts';
import { Card, Empty, Facts, LoadError, Loading, PageHeader, StatusBadge } from '../components/ui.tsx';
import { humanize } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import type { Installation, Meter } from '../types.ts';

export function MeterPage({ id }: { id: number }) {
  const meter = useApi(`meter:${id}`, (signal) => api.get<Meter & { installations: Installation[] }>(`/meters/${id}`, undefined, signal));
  const m = meter.data;
  useTitle(m ? `Meter ${m.serial}` : undefined);
  if (meter.error) return <LoadError error={meter.error} retry={meter.reload} />;
  if (!m) return <Loading what="Loading the meter" />;

  return (
    <div data-testid="meter-page">
      <PageHeader title={<>Meter <span className="mono">{m.serial}</span></>} subtitle={<StatusBadge status={m.status} />} />
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
        {m.installations.length === 0 ? (
          <Empty>Never installed.</Empty>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Service point</th>
                <th scope="col">Installed</th>
                <th scope="col">Removed</th>
              </tr>
            </thead>
            <tbody>
              {m.installations.map((i) => (
                <tr key={i.id}>
                  <td>{i.servicePointId}</td>
                  <td>{i.installedOn}</td>
                  <td>{i.removedOn ?? 'in service'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
