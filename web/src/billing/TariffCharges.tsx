import type { ReactNode } from 'react';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Facts } from '../components/ui.tsx';
import { humanize } from '../format.ts';
import type { Block, Charge, SeasonalBlocks, SeasonalPrice, Tax, TariffVersion } from '../types.ts';
import { formatPrice, formatQuantity } from './money.ts';

/** A tariff version made readable: its charges, taxes, minimum bill and net metering. */

const per = (unit: string) => (unit === 'each' ? 'each' : `per ${unit}`);

/** A price that may differ by season, as one line per season. */
function Seasonal({ price, suffix }: { price: SeasonalPrice; suffix: string }) {
  if (typeof price === 'string') return <>{formatPrice(price)} {suffix}</>;
  const entries = Object.entries(price.bySeason);
  return (
    <ul className="plain-list price-list">
      {entries.map(([season, p]) => (
        <li key={season}>
          <span className="season-name">{humanize(season)}</span> {formatPrice(p)} {suffix}
        </li>
      ))}
      {price.default !== undefined && (
        <li>
          <span className="season-name">Other days</span> {formatPrice(price.default)} {suffix}
        </li>
      )}
    </ul>
  );
}

/** `First 600 kWh $0.0812 · Over 600 kWh $0.0934` */
function BlockList({ blocks, unit }: { blocks: Block[]; unit: string }) {
  return (
    <ol className="plain-list block-list">
      {blocks.map((b, i) => {
        const lower = i === 0 ? null : blocks[i - 1]!.upTo;
        const range = b.upTo === null ? (lower === null ? 'All use' : `Over ${formatQuantity(lower)} ${unit}`) : lower === null ? `First ${formatQuantity(b.upTo)} ${unit}` : `${formatQuantity(lower)}–${formatQuantity(b.upTo)} ${unit}`;
        return (
          <li key={i}>
            <span className="block-range">{range}</span> {formatPrice(b.price)} {per(unit)}
          </li>
        );
      })}
    </ol>
  );
}

function SeasonalBlockList({ blocks, unit }: { blocks: SeasonalBlocks; unit: string }) {
  if (Array.isArray(blocks)) return <BlockList blocks={blocks} unit={unit} />;
  return (
    <div className="seasonal-blocks">
      {Object.entries(blocks.bySeason).map(([season, list]) => (
        <div key={season}>
          <span className="season-name">{humanize(season)}</span>
          <BlockList blocks={list} unit={unit} />
        </div>
      ))}
      {blocks.default && (
        <div>
          <span className="season-name">Other days</span>
          <BlockList blocks={blocks.default} unit={unit} />
        </div>
      )}
    </div>
  );
}

/** How a charge is priced, in words. */
export function chargePrice(c: Charge): ReactNode {
  switch (c.kind) {
    case 'fixed':
      if (c.byMeterSize) {
        return (
          <ul className="plain-list price-list">
            {Object.entries(c.byMeterSize).map(([size, p]) => (
              <li key={size}>
                <span className="season-name">{size} meter</span> {formatPrice(p)} per {c.per}
              </li>
            ))}
          </ul>
        );
      }
      return <Seasonal price={c.price} suffix={`per ${c.per}`} />;
    case 'usage':
      return c.blocks ? <SeasonalBlockList blocks={c.blocks} unit={c.unit} /> : c.price !== undefined ? <Seasonal price={c.price} suffix={per(c.unit)} /> : '—';
    case 'tou':
      return (
        <ul className="plain-list price-list">
          {Object.entries(c.prices).map(([bucket, p]) => (
            <li key={bucket}>
              <span className="season-name">{humanize(bucket)}</span> <Seasonal price={p} suffix="per kWh" />
            </li>
          ))}
          <li className="muted small">TOU schedule {c.schedule}</li>
        </ul>
      );
    case 'demand':
      return (
        <>
          <Seasonal price={c.price} suffix="per billing kW" />
          {c.ratchet && <div className="muted small">Ratchet: at least {c.ratchet.percent}% of the highest demand in the last {c.ratchet.months} bills</div>}
          {c.minimumKw && <div className="muted small">Minimum {c.minimumKw} kW</div>}
        </>
      );
    case 'rider':
      if (c.percent !== undefined) return <>{c.percent}% of {(c.of ?? []).map((code) => <span key={code} className="mono">{code} </span>)}</>;
      return <>{formatPrice(c.perUnit ?? '0')} {c.unit ? per(c.unit) : 'per unit of use'}</>;
    case 'one_time':
      return <>{formatPrice(c.price)} once, on the first bill</>;
  }
}

const chargeColumns: Column<Charge>[] = [
  { header: 'Code', className: 'nowrap', cell: (c) => <span className="mono">{c.code}</span> },
  { header: 'Kind', cell: (c) => humanize(c.kind) },
  { header: 'Description', cell: (c) => c.description },
  { header: 'Price', cell: chargePrice },
];

const taxColumns: Column<Tax>[] = [
  { header: 'Code', className: 'nowrap', cell: (t) => <span className="mono">{t.code}</span> },
  { header: 'Description', cell: (t) => t.description },
  { header: 'Percent', className: 'num', cell: (t) => `${t.percent}%` },
  { header: 'On', cell: (t) => (t.on ? t.on.join(', ') : <span className="muted">every charge line</span>) },
  { header: 'Plus taxes', cell: (t) => (t.plusTaxes?.length ? t.plusTaxes.join(', ') : <span className="muted">—</span>) },
];

export function TariffDetails({ tariff }: { tariff: TariffVersion }) {
  const facts: [string, ReactNode][] = [
    ['Service', humanize(tariff.service)],
    ['Effective from', tariff.effectiveFrom],
    ['Rounding', humanize(tariff.rounding)],
    ['Standard month', `${tariff.standardMonthDays ?? 30} days`],
  ];
  if (tariff.seasons?.length) facts.push(['Seasons', tariff.seasons.map((s) => `${humanize(s.name)} ${s.from} to ${s.to}`).join(' · ')]);
  if (tariff.minimumBill) facts.push(['Minimum bill', `${formatPrice(tariff.minimumBill.amount)} per ${tariff.minimumBill.per}${tariff.minimumBill.description && tariff.minimumBill.description !== 'Minimum bill' ? ` (${tariff.minimumBill.description})` : ''}`]);
  if (tariff.netMetering) facts.push(['Net metering', `On ${tariff.netMetering.appliesTo.join(', ')}; true-up ${tariff.netMetering.trueUpDate}`]);
  return (
    <>
      <Facts items={facts} />
      <h3 className="subheading">Charges</h3>
      <DataTable columns={chargeColumns} rows={tariff.charges} rowKey={(c) => c.code} testId="tariff-charges" className="tariff-charges" />
      <h3 className="subheading">Taxes</h3>
      {tariff.taxes?.length ? <DataTable columns={taxColumns} rows={tariff.taxes} rowKey={(t) => t.code} testId="tariff-taxes" /> : <p className="muted">No taxes.</p>}
    </>
  );
}
