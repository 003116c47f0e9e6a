/**
 * Over the graph and the explanation (as the destinations matrix): "Cost by owner", the monthly
 * list-price estimate of the estate's internet paths (`estimateCost` with the added logs' bytes,
 * as `egress-atlas cost --logs` prints it). The owner and cost-centre roll-ups first, then per path
 * its lines with quantity, price (rate, meter region, price date, split) and which bytes were used.
 * A figure without a price or bytes is a gap, shown as "missing" with the reason, never as $0.
 */
import { Fragment } from 'react';
import type { CostResult, CostRollup, SourceCost } from '../../shared/cost/types';
import { costBasisText, costItemLabel, costPriceText, costQuantityText, usdText } from '../state/traffic';

const cell = { padding: '4px 8px', borderBottom: '1px solid var(--border)', textAlign: 'left' as const, verticalAlign: 'top' as const };
const num = { ...cell, textAlign: 'right' as const, whiteSpace: 'nowrap' as const };

function RollupTable({ title, rows, testId }: { readonly title: string; readonly rows: readonly CostRollup[]; readonly testId: string }) {
  return (
    <table data-testid={testId} style={{ borderCollapse: 'collapse', fontSize: 12.5, minWidth: 320 }}>
      <caption style={{ textAlign: 'left', fontWeight: 600, padding: '0 0 4px' }}>{title}</caption>
      <thead><tr><th scope="col" style={cell}>{title === 'By owner' ? 'Owner' : 'Cost centre'}</th><th scope="col" style={num}>Paths</th><th scope="col" style={num}>Per month</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-testid="cost-rollup-row" data-key={r.key}>
            <td style={cell}>{r.key}</td>
            <td style={num}>{r.sources}</td>
            <td style={num}>{usdText(r.monthlyUsd)}{r.complete ? '' : <span style={{ color: 'var(--warn)' }} title="A path rolled up here has a missing figure"> + gaps</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SourceRows({ source, selected, onSelect }: { readonly source: SourceCost; readonly selected: boolean; readonly onSelect: (id: string) => void }) {
  return (
    <>
      <tr data-testid="cost-source" data-source-id={source.source.id} style={{ background: selected ? 'var(--accent-soft)' : 'var(--panel)' }}>
        <th scope="rowgroup" colSpan={3} style={{ ...cell, fontWeight: 600 }}>
          <button type="button" className="btn small ghost" style={{ padding: 0, fontWeight: 600 }} onClick={() => onSelect(source.source.id)}
            title="Show this path on the graph">{source.source.name}</button>
          <span className="sub" style={{ fontWeight: 400, color: 'var(--muted)' }}> · {source.source.type === 'nic' ? 'NIC' : 'subnet'} · {source.region ?? 'region unknown'} · owner {source.owner ?? '(untagged)'} · cost centre {source.costCentre ?? '(untagged)'}</span>
          <div className="sub" style={{ fontWeight: 400, color: 'var(--muted)' }} data-testid="cost-bytes">bytes: {source.bytes.description}</div>
          {source.leftOut.map((what) => <div key={what} className="sub" style={{ fontWeight: 400, color: 'var(--warn)' }} data-testid="cost-left-out">not priced: {what}</div>)}
        </th>
        <td style={{ ...num, fontWeight: 600 }}>{usdText(source.monthlyUsd)}{source.complete ? '' : <span style={{ color: 'var(--warn)' }}> + gaps</span>}</td>
      </tr>
      {source.lines.map((l, i) => (
        <tr key={`${l.item}-${l.resource?.id ?? ''}-${i}`} data-testid="cost-line" data-missing={l.monthlyUsd === null ? 'true' : 'false'}>
          <td style={{ ...cell, paddingLeft: 22 }}>{costItemLabel(l)}{l.bytes !== null && l.bytes !== source.bytes.description ? <div className="sub" style={{ color: 'var(--muted)', fontSize: 11 }}>{l.bytes}</div> : null}</td>
          <td style={num}>{costQuantityText(l)}</td>
          <td style={{ ...cell, fontSize: 11.5, color: 'var(--muted)' }}>
            {costPriceText(l)}
            {l.monthlyUsd === null && l.missing !== null ? <div style={{ color: 'var(--warn)' }} data-testid="cost-missing-reason">{l.missing}</div> : null}
          </td>
          <td style={num}>
            {l.monthlyUsd === null
              ? <span className="badge tone-warn" title={l.missing ?? undefined} data-testid="cost-gap">missing</span>
              : usdText(l.monthlyUsd)}
          </td>
        </tr>
      ))}
    </>
  );
}

export function CostView({ cost, selectedSourceId, onSelect, onClose }: {
  readonly cost: CostResult;
  readonly selectedSourceId: string | null;
  readonly onSelect: (sourceId: string) => void;
  readonly onClose: () => void;
}) {
  const selected = selectedSourceId?.toLowerCase() ?? null;
  return (
    <section className="matrix-pane" aria-label="Cost by owner" data-testid="cost-view">
      <div className="matrix-head">
        <button type="button" className="btn small" onClick={onClose} data-testid="cost-back">← Back to the graph</button>
        <div className="grow">
          {/* The view's heading (h2 under the page's h1), so "Per path" below is a proper h3. */}
          <h2 style={{ display: 'inline', fontSize: 'inherit', margin: 0 }}>Cost by owner</h2>
          <span className="sub"> · estimated monthly egress cost · total <span data-testid="cost-total">{usdText(cost.total.monthlyUsd)}</span>{cost.total.complete ? '' : ' + gaps (see below)'}</span>
          <div className="sub" data-testid="cost-basis">{costBasisText(cost)}</div>
        </div>
      </div>
      <div className="matrix-scroll" style={{ padding: '10px 14px' }}>
        <div style={{ display: 'flex', gap: 28, flexWrap: 'wrap', alignItems: 'flex-start' }}>
          <RollupTable title="By owner" rows={cost.rollups.owner} testId="cost-by-owner" />
          <RollupTable title="By cost centre" rows={cost.rollups.costCentre} testId="cost-by-cost-centre" />
        </div>
        <h3 style={{ fontSize: 12, textTransform: 'uppercase', letterSpacing: '0.06em', color: 'var(--muted)', margin: '18px 0 6px' }}>Per path</h3>
        <table data-testid="cost-paths" style={{ borderCollapse: 'collapse', fontSize: 12.5, width: '100%' }}>
          <thead>
            <tr><th scope="col" style={cell}>Item</th><th scope="col" style={num}>Quantity / month</th><th scope="col" style={cell}>Price (rate · meter region · price date · split)</th><th scope="col" style={num}>Per month</th></tr>
          </thead>
          <tbody>
            {cost.sources.map((s) => (
              <Fragment key={s.source.id}>
                <SourceRows source={s} selected={selected === s.source.id.toLowerCase()} onSelect={onSelect} />
              </Fragment>
            ))}
          </tbody>
        </table>
        {cost.unattributed.resources.length > 0 ? (
          <p className="sub" data-testid="cost-unattributed">Not on any costed path: {usdText(cost.unattributed.monthlyUsd)} per month ({cost.unattributed.resources.length} resource{cost.unattributed.resources.length === 1 ? '' : 's'}).</p>
        ) : null}
        {cost.gaps.length > 0 ? (
          <details className="matrix-gaps" open>
            <summary>{cost.gaps.length} gap{cost.gaps.length === 1 ? '' : 's'}: figures that could not be computed (never counted as $0)</summary>
            <ul data-testid="cost-gaps" tabIndex={0} aria-label="Cost gaps">{cost.gaps.map((g, i) => <li key={`${g.code}-${i}`}><strong>{g.code}</strong> {g.scope}: {g.message}</li>)}</ul>
          </details>
        ) : null}
        <details style={{ marginTop: 10, fontSize: 12.5 }}>
          <summary>Method and price sources</summary>
          <ul>
            {cost.method.notes.map((n, i) => <li key={i}>{n}</li>)}
            <li>1 GB = {cost.bytesPerGb.toLocaleString('en-US')} bytes; {cost.hoursPerMonth} hours per month.</li>
            {cost.prices.sources.map((p) => <li key={p.id}>{p.id}: {p.date ?? 'no date'}{p.unconfirmed ? ' (unconfirmed against the pricing page)' : ''}{p.url ? <> · <a href={p.url} target="_blank" rel="noreferrer">{p.url}</a></> : null}</li>)}
          </ul>
        </details>
      </div>
    </section>
  );
}
