/**
 * Details pane, for the selected source: "Observed destinations" from the logs added to the estate
 * (issue 13). Each row sets what the log says (action, flows, bytes, last seen, rule) beside what
 * the model says about that destination from this source (allowed / denied / not modelled), and a
 * row where the two contradict each other is highlighted and labelled, never colour alone. Then
 * the traffic findings about the source. All text nodes: names and rules are log data.
 */
import { useState } from 'react';
import type { ModelView, TrafficFinding } from '../../shared/traffic/types';
import { bytesText } from '../../shared/traffic/format';
import { ruleLabel } from '../../shared/traffic/analyze';
import { countText, findingsFor, observedRows, type ObservedSort, type SourceVolume } from '../state/traffic';
import type { TrafficControls } from './TrafficPanel';

/** Rows shown before "Show all". */
const TOP_ROWS = 10;

const MODEL_TONE: Readonly<Record<ModelView, string>> = { allowed: 'good', denied: 'bad', 'not-modelled': 'neutral' };
const MODEL_TEXT: Readonly<Record<ModelView, string>> = { allowed: 'allowed', denied: 'denied', 'not-modelled': 'not modelled' };

/** `2024-05-01 12:06` (UTC): the table is narrow. */
function seenText(iso: string | null): string {
  return iso === null ? '—' : iso.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, '');
}

function TrafficFindingItem({ finding }: { readonly finding: TrafficFinding }) {
  return (
    <div className="finding" data-testid="traffic-finding" data-code={finding.code}>
      <span className={`sev sev-${finding.severity}`}>{finding.severity}</span> <strong>{finding.code}</strong>
      <p>{finding.message}</p>
    </div>
  );
}

function ObservedTable({ volume, controls }: { readonly volume: SourceVolume; readonly controls: TrafficControls }) {
  const [sort, setSort] = useState<ObservedSort>('flows');
  const [all, setAll] = useState(false);
  const traffic = controls.traffic;
  if (traffic === null) return null;
  const rows = observedRows(volume, sort);
  const shown = all ? rows : rows.slice(0, TOP_ROWS);
  const several = volume.sources.length > 1;
  const findings = findingsFor(volume, traffic.answer.traffic);
  const disagreeing = rows.filter((r) => r.disagrees).length;
  return (
    <>
      <div className="sub" data-testid="observed-summary">
        {countText(volume.flows)} flows{volume.bytes !== null ? ` · ${bytesText(volume.bytes)}` : ''} to {rows.length} destination{rows.length === 1 ? '' : 's'}
        {volume.deniedFlows > 0 ? ` · ${countText(volume.deniedFlows)} denied` : ''}
        {disagreeing > 0 ? <> · <strong style={{ color: 'var(--warn)' }}>{disagreeing} disagree with the model</strong></> : null}
      </div>
      <div style={{ display: 'flex', gap: 6, alignItems: 'center', margin: '6px 0' }}>
        <span className="sub">Top by</span>
        <button type="button" className="btn small toggle" aria-pressed={sort === 'flows'} onClick={() => setSort('flows')}>flows</button>
        <button type="button" className="btn small toggle" aria-pressed={sort === 'bytes'} onClick={() => setSort('bytes')}>bytes</button>
      </div>
      <div style={{ overflowX: 'auto' }}>
        <table data-testid="observed-table" style={{ borderCollapse: 'collapse', fontSize: 11.5, width: '100%' }}>
          <thead>
            <tr style={{ textAlign: 'left', color: 'var(--muted)' }}>
              <th scope="col" style={{ padding: '2px 4px' }}>Destination</th>
              <th scope="col" style={{ padding: '2px 4px' }} title="What the log says happened">Log</th>
              <th scope="col" style={{ padding: '2px 4px' }} title="What the configuration in this snapshot says about this destination from this source">Model</th>
              <th scope="col" style={{ padding: '2px 4px', textAlign: 'right' }}>Flows</th>
              <th scope="col" style={{ padding: '2px 4px', textAlign: 'right' }}>Bytes</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r, i) => {
              const o = r.observed;
              return (
                <tr key={`${r.sourceName}-${o.destination}-${o.port}-${o.protocol}-${o.action}-${i}`} data-testid="observed-row"
                  data-action={o.action} data-model={o.model} data-disagrees={r.disagrees ? 'true' : 'false'}
                  style={{ borderTop: '1px solid var(--border)', background: r.disagrees ? 'var(--warn-soft)' : undefined, verticalAlign: 'top' }}>
                  <td style={{ padding: '3px 4px', overflowWrap: 'anywhere' }}>
                    <div className="mono" style={{ fontSize: 11.5 }}>{o.destination}{o.port === null ? '' : `:${o.port}`}<span style={{ color: 'var(--muted)' }}>/{o.protocol}</span></div>
                    <div style={{ color: 'var(--muted)', fontSize: 10.5 }} title={o.firstSeen === null ? undefined : `first seen ${o.firstSeen}`}>
                      {several ? `${r.sourceName} · ` : ''}last {seenText(o.lastSeen ?? o.firstSeen)} · {ruleLabel(o.rule, o.action)}
                    </div>
                    {r.disagrees ? <div style={{ color: 'var(--warn)', fontWeight: 600, fontSize: 10.5 }} data-testid="observed-disagrees">log and model disagree</div> : null}
                  </td>
                  <td style={{ padding: '3px 4px' }}><span className={`badge tone-${o.action === 'deny' ? 'bad' : 'good'}`}>{o.action === 'deny' ? 'denied' : 'allowed'}</span></td>
                  <td style={{ padding: '3px 4px' }}><span className={`badge tone-${MODEL_TONE[o.model]}`}>{MODEL_TEXT[o.model]}</span></td>
                  <td style={{ padding: '3px 4px', textAlign: 'right' }}>{countText(o.flows)}</td>
                  <td style={{ padding: '3px 4px', textAlign: 'right', whiteSpace: 'nowrap' }}>{o.bytes === null ? '—' : bytesText(o.bytes)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rows.length > TOP_ROWS ? (
        <button type="button" className="btn small ghost" onClick={() => setAll(!all)}>{all ? 'Show the top 10' : `Show all ${rows.length}`}</button>
      ) : null}
      {findings.length > 0 ? (
        <>
          <h3>Traffic findings ({findings.length})</h3>
          {findings.map((f, i) => <TrafficFindingItem key={`${f.code}-${i}`} finding={f} />)}
        </>
      ) : null}
    </>
  );
}

/** The section for the selected source; nothing when no logs were added. */
export function ObservedTraffic({ controls, sourceId }: { readonly controls: TrafficControls; readonly sourceId: string | null }) {
  if (controls.traffic === null || sourceId === null) return null;
  const volume = controls.volumes.get(sourceId.toLowerCase());
  return (
    <section data-testid="observed-destinations">
      <h3>Observed destinations</h3>
      {volume === undefined
        ? <div className="sub">No record in the logs was attributed to this source.</div>
        : <ObservedTable key={volume.pathSourceId} volume={volume} controls={controls} />}
    </section>
  );
}
