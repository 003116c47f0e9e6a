/**
 * The flow overview (issue 12, "Readable at any scale"): sources grouped by the user's choice →
 * inspection → exit → internet, as SVG bands whose thickness is the number of sources on them and
 * whose count is written on them. Bands that go around a firewall the VNet has are drawn hatched,
 * dashed and labelled "bypasses firewall" (or "bypass" where the pane is narrow). Every band is a button (Tab to it, Enter or a click):
 * it filters the source list to the band's sources.
 *
 * Draws only what shared/graph/flow-overview.ts aggregated, so 30,000 sources cost as much as 30.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { describeBand, FLOW_GROUPINGS, isFlowGrouping, type FlowBand, type FlowGrouping, type FlowOverview as FlowOverviewData } from '../../shared/graph/flow-overview';
import { TONE_COLORS, TONE_COLORS_DARK } from '../../shared/graph/palette';
import type { Theme } from '../graph/style';
import { bandLabelText, FLOW_BAR_WIDTH, FLOW_LABEL_PX, layoutFlow } from '../state/flow-overview';
import { testHook } from '../test-hook';

interface Props {
  readonly overview: FlowOverviewData;
  readonly grouping: FlowGrouping;
  readonly onGrouping: (grouping: FlowGrouping) => void;
  readonly theme: Theme;
  readonly activeBandId: string | null;
  readonly onBand: (band: FlowBand) => void;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** Long names (subscription GUIDs, FQDN-like tags) are cut for the picture; the title keeps them whole. */
function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function FlowOverview({ overview, grouping, onGrouping, theme, activeBandId, onBand }: Props) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 900, height: 600 });
  useLayoutEffect(() => {
    const box = boxRef.current;
    if (!box) return undefined;
    const measure = () => setSize({ width: box.clientWidth, height: box.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, []);
  const layout = useMemo(() => layoutFlow(overview, size.width, size.height), [overview, size.width, size.height]);
  const tones = theme === 'dark' ? TONE_COLORS_DARK : TONE_COLORS;
  // A bar's name may run to the next column (about 7 px a character at 12 px), no further.
  const columnX = new Map(layout.columns.map((c) => [c.column, c.x]));
  const maxChars = (column: 'inspection' | 'exit' | 'source' | 'sink'): number => {
    const next = column === 'inspection' ? columnX.get('exit') : columnX.get('sink');
    return Math.max(12, Math.floor(((next ?? 0) - (columnX.get(column) ?? 0) - 12) / 7));
  };
  const bypassColor = tones.blocked.stroke;

  // The first drawing of an estate counts as its first graph (UI bench, e2e waits).
  useEffect(() => {
    testHook.renders++;
    if (testHook.timings.graphRenderedAt === null) testHook.timings.graphRenderedAt = performance.now();
  }, [overview]);

  const onKey = (e: KeyboardEvent<SVGGElement>, band: FlowBand) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onBand(band);
    }
  };

  return (
    <section className="flow-overview" aria-label="Flow overview" data-testid="flow-overview">
      <div className="flow-head">
        <h2 className="flow-title">Flow overview</h2>
        <span className="sub">{plural(overview.total, 'source')}{overview.bypassCount > 0 ? ` · ${plural(overview.bypassCount, 'source')} bypass a firewall` : ''} · band width = number of sources</span>
        <span className="spacer" />
        <label className="sub" htmlFor="flow-grouping">Group sources by</label>
        <select id="flow-grouping" className="input" style={{ height: 26 }} value={grouping} data-testid="flow-grouping"
          onChange={(e) => { if (isFlowGrouping(e.target.value)) onGrouping(e.target.value); }}>
          {FLOW_GROUPINGS.map((g) => <option key={g.grouping} value={g.grouping}>{g.label}</option>)}
        </select>
        <span className="flow-key" aria-hidden="true">
          <svg width="28" height="12"><rect x="0" y="1" width="28" height="10" fill="url(#flow-hatch)" stroke={bypassColor} strokeDasharray="4 2" /></svg>
          bypasses firewall
        </span>
      </div>
      <div className="flow-canvas" ref={boxRef}>
        <svg width={layout.width} height={layout.height} role="group" aria-label={`Flow overview: ${plural(overview.total, 'source')} in ${plural(overview.bands.length, 'band')}`}
          data-testid="flow-svg" style={{ fontSize: FLOW_LABEL_PX }}>
          <defs>
            <pattern id="flow-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="8" height="8" fill={bypassColor} fillOpacity={0.18} />
              <line x1="0" y1="0" x2="0" y2="8" stroke={bypassColor} strokeWidth="3" strokeOpacity={0.7} />
            </pattern>
          </defs>
          {layout.columns.map((c) => (
            <text key={c.column} x={c.column === 'source' ? 12 : c.column === 'sink' ? c.x + FLOW_BAR_WIDTH : c.x} y={16}
              textAnchor={c.column === 'sink' ? 'end' : 'start'} className="flow-column-title">{c.title}</text>
          ))}
          <g className="flow-bands">
            {layout.bands.map(({ band, d }) => {
              const target = overview.nodes.find((n) => n.id === band.to);
              const tone = tones[target?.tone === 'neutral' || target === undefined ? 'exit' : target.tone];
              const active = band.id === activeBandId;
              return (
                <g key={band.id} role="button" tabIndex={0} className={`flow-band${band.bypass ? ' bypass' : ''}${active ? ' active' : ''}`}
                  aria-label={`${describeBand(overview, band)}. Show these sources.`} aria-pressed={active}
                  data-testid="flow-band" data-band-id={band.id} data-count={band.count} data-bypass={band.bypass ? 'true' : undefined}
                  onClick={() => onBand(band)} onKeyDown={(e) => onKey(e, band)}>
                  <title>{describeBand(overview, band)}</title>
                  <path d={d} fill={band.bypass ? 'url(#flow-hatch)' : tone.stroke} fillOpacity={band.bypass ? 1 : 0.28}
                    stroke={band.bypass ? bypassColor : tone.stroke} strokeOpacity={band.bypass ? 1 : 0.5}
                    strokeWidth={band.bypass ? 1.5 : 0.75} strokeDasharray={band.bypass ? '6 3' : undefined} />
                </g>
              );
            })}
          </g>
          <g className="flow-nodes">
            {layout.nodes.map(({ node, x, y, height }) => {
              const tone = tones[node.tone];
              const rect = <rect x={x} y={y} width={FLOW_BAR_WIDTH} height={height} rx={3} fill={tone.fill} stroke={tone.stroke} strokeWidth={1.5} />;
              // Sources: one line left of the bar. The rest: name and count above the bar.
              return node.column === 'source' ? (
                <g key={node.id} data-testid="flow-node" data-node-id={node.id}>
                  <title>{`${node.label}${node.detail === null ? '' : ` (${node.detail})`}: ${plural(node.count, 'source')}`}</title>
                  {rect}
                  <text x={x - 6} y={y + Math.min(height / 2, 14) + 4} textAnchor="end" className="flow-label">
                    {fit(node.label, 22)} <tspan className="flow-count">{node.count.toLocaleString('en-US')}</tspan>
                  </text>
                </g>
              ) : (
                <g key={node.id} data-testid="flow-node" data-node-id={node.id}>
                  <title>{`${node.label}${node.detail === null ? '' : ` (${node.detail})`}: ${plural(node.count, 'source')}`}</title>
                  {rect}
                  {node.column === 'sink' ? (
                    // The column title names it; its count goes right of the bar, clear of the exit names.
                    <text x={x + FLOW_BAR_WIDTH + 4} y={y + 14} className="flow-count">{node.count.toLocaleString('en-US')}</text>
                  ) : (
                    <>
                      <text x={x} y={y - 17} className="flow-label">{fit(node.label, maxChars(node.column))}</text>
                      <text x={x} y={y - 4} className="flow-count">
                        {fit(node.detail === null ? plural(node.count, 'source') : `${node.detail} · ${node.count.toLocaleString('en-US')}`, maxChars(node.column))}
                      </text>
                    </>
                  )}
                </g>
              );
            })}
          </g>
          <g className="flow-band-labels" aria-hidden="true">
            {layout.bands.map(({ band, labelX, labelY, labelRoom }) => (
              <text key={band.id} x={labelX} y={labelY + 4} textAnchor="start" className={`flow-band-label${band.bypass ? ' bypass' : ''}`} data-band-id={band.id}
                onClick={() => onBand(band)}>
                {bandLabelText(band, labelRoom)}
              </text>
            ))}
          </g>
        </svg>
      </div>
    </section>
  );
}
