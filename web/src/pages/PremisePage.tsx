import { api } from '../api.ts';
import { Card, Empty, Facts, LoadError, Loading, PageHeader, StatusBadge } from '../components/ui.tsx';
import { addressLine, humanize } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { Link } from '../router.tsx';
import type { PremiseDetail } from '../types.ts';

/** A service address: its service points, the meter on each, and who has had service there. */
export function PremisePage({ id }: { id: number }) {
  const premise = useApi(`premise:${id}`, (signal) => api.get<PremiseDetail>(`/premises/${id}`, undefined, signal));
  const p = premise.data;
  useTitle(p ? addressLine(p.address) : undefined);
  if (premise.error) return <LoadError error={premise.error} retry={premise.reload} />;
  if (!p) return <Loading what="Loading the premise" />;

  return (
    <div data-testid="premise-page">
      <PageHeader title={addressLine(p.address)} subtitle={`Premise ${p.id}`} />
      <Card title="Details">
        <Facts
          items={[
            ['Type', humanize(p.premiseType)],
            ['Area', p.area],
            ['Space heating', p.spaceHeating ? 'Yes' : 'No'],
            ['Owner', p.ownerCustomerId ? <Link to={`/customers/${p.ownerCustomerId}`}>Customer {p.ownerCustomerId}</Link> : null],
          ]}
        />
      </Card>
      <Card title="Service points">
        {p.servicePoints.length === 0 ? (
          <Empty>No service points at this premise.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Status</th>
                  <th scope="col">Route</th>
                  <th scope="col">Location</th>
                  <th scope="col">Meter</th>
                  <th scope="col">Agreements (account, rate, dates)</th>
                </tr>
              </thead>
              <tbody>
                {p.servicePoints.map((sp) => (
                  <tr key={sp.id}>
                    <td><span className={`service-tag service-${sp.service}`}>{humanize(sp.service)}</span></td>
                    <td><StatusBadge status={sp.status} /></td>
                    <td>{sp.route ?? '—'}</td>
                    <td>{sp.locationNote ?? '—'}</td>
                    <td>
                      {sp.meter ? (
                        <>
                          <Link to={`/meters/${sp.meter.id}`} className="mono">{sp.meter.serial}</Link>
                          <div className="muted small">× {sp.meter.multiplier} · {sp.meter.dials} dials</div>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      {sp.agreements.length === 0 ? (
                        <span className="muted">none</span>
                      ) : (
                        <ul className="plain-list">
                          {sp.agreements.map((a) => (
                            <li key={a.id}>
                              <Link to={`/accounts/${a.accountId}`}>Account {a.accountId}</Link> · <span className="mono">{a.rateCode}</span> · {a.startDate} to {a.endDate ?? 'open'}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
