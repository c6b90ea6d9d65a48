import { useState } from 'react';
import { api } from '../api.ts';
import { ServiceTag } from '../billing/badges.tsx';
import { LoadTariffButton } from '../billing/LoadTariffDialog.tsx';
import { inForce } from '../billing/tariffVersions.ts';
import { TariffDetails } from '../billing/TariffCharges.tsx';
import { Card, LoadError, Loading, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { formatTimestamp, utilityToday } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { StoredTariffVersion } from '../types.ts';

function versionState(v: StoredTariffVersion, current: StoredTariffVersion | undefined, today: string) {
  if (v.superseded) return <span className="badge badge-muted">Superseded</span>;
  if (current?.id === v.id) return <span className="badge badge-good" data-testid="tariff-in-force">In force</span>;
  if (v.effectiveFrom > today) return <span className="badge badge-info">From {v.effectiveFrom}</span>;
  return <span className="badge badge-muted">Replaced by a later version</span>;
}

/** One rate code: every version, newest first, with its charges made readable and the file as loaded. */
export function TariffPage({ code }: { code: string }) {
  const history = useApi(`tariff:${code}`, (signal) => api.get<{ items: StoredTariffVersion[] }>(`/tariffs/${encodeURIComponent(code)}`, undefined, signal));
  const canLoad = useCan('supervisor');
  const [done, setDone] = useState<string | null>(null);
  const versions = history.data?.items ?? [];
  const today = utilityToday();
  const current = inForce(versions, today);
  const shown = current ?? versions[0];
  useTitle(`${code} rates`);
  if (history.error) return <LoadError error={history.error} retry={history.reload} />;
  if (!history.data) return <Loading what={`Loading ${code}`} />;

  return (
    <div data-testid="tariff-page">
      <PageHeader
        title={<><span className="mono">{code}</span> {shown?.name}</>}
        subtitle={
          <ul className="inline-facts" aria-label="Tariff summary">
            {shown && <li><ServiceTag service={shown.service} /></li>}
            <li>{versions.length === 1 ? '1 version' : `${versions.length} versions`}</li>
            {current && <li>In force: v{current.version} from {current.effectiveFrom}</li>}
          </ul>
        }
        actions={
          <>
            <Link to={`/quote?code=${encodeURIComponent(code)}`} className="button" data-testid="quote-tariff">Quote with {code}</Link>
            {canLoad && (
              <LoadTariffButton
                onOpen={() => setDone(null)}
                onLoaded={(message) => {
                  setDone(message);
                  history.reload();
                }}
              />
            )}
          </>
        }
      />
      <SuccessBanner message={done} testId="tariff-loaded" />
      {versions.map((v) => (
        <Card
          key={v.id}
          title={`Version ${v.version} · effective ${v.effectiveFrom}`}
          testId="tariff-version"
          className={v.superseded ? 'tariff-superseded' : undefined}
          actions={versionState(v, current, today)}
        >
          <p className="muted small">
            Loaded {formatTimestamp(v.loadedAt)}: {v.reason}
          </p>
          <TariffDetails tariff={v.tariff} />
          <details className="raw-json">
            <summary>Tariff file as loaded (JSON)</summary>
            <pre className="mono" data-testid="tariff-json">{JSON.stringify(v.tariff, null, 2)}</pre>
          </details>
        </Card>
      ))}
    </div>
  );
}
