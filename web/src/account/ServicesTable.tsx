import { Card, Empty, StatusBadge } from '../components/ui.tsx';
import { addressLine, humanize } from '../format.ts';
import { Link } from '../router.tsx';
import type { AccountService } from '../types.ts';

/** The account's service agreements: what service, where, under which rate, through which meter. */
export function ServicesTable({ services }: { services: AccountService[] }) {
  return (
    <Card title="Services" testId="services">
      {services.length === 0 ? (
        <Empty>No service agreements on this account.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="services-table">
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Premise</th>
                <th scope="col">Point</th>
                <th scope="col">Route</th>
                <th scope="col">Rate</th>
                <th scope="col">Start</th>
                <th scope="col">End</th>
                <th scope="col">Meter</th>
                <th scope="col" className="num">Mult.</th>
                <th scope="col" className="num">Dials</th>
              </tr>
            </thead>
            <tbody>
              {services.map(({ agreement, servicePoint, premise, meter }) => (
                <tr key={agreement.id}>
                  <td>
                    <span className={`service-tag service-${servicePoint.service}`}>{humanize(servicePoint.service)}</span>
                  </td>
                  <td>
                    <Link to={`/premises/${premise.id}`}>{addressLine(premise.address)}</Link>
                    <div className="muted small">{humanize(premise.premiseType)} · {premise.area}</div>
                  </td>
                  <td><StatusBadge status={servicePoint.status} /></td>
                  <td>{servicePoint.route ?? '—'}</td>
                  <td className="mono">{agreement.rateCode}</td>
                  <td className="nowrap">{agreement.startDate}</td>
                  <td className="nowrap">{agreement.endDate ?? 'open'}</td>
                  <td>
                    {meter ? (
                      <>
                        <Link to={`/meters/${meter.id}`} className="mono">{meter.serial}</Link>
                        <div className="muted small">{humanize(meter.kind)}{meter.size ? ` · ${meter.size}` : ''}{meter.installedOn ? ` · set ${meter.installedOn}` : ''}</div>
                      </>
                    ) : servicePoint.service === 'fiber' ? (
                      <span className="muted">not metered</span>
                    ) : (
                      <span className="muted">no meter</span>
                    )}
                  </td>
                  <td className="num">{meter?.multiplier ?? '—'}</td>
                  <td className="num">{meter?.dials ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
