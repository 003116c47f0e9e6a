/**
 * Observed traffic in the workspace (issue 13): "drop log files next to an estate". The user adds
 * firewall log exports and flow-log PT1H.json blobs with "Add logs…" or by dropping them anywhere
 * on the window; the main side parses and analyses them (`traffic` operation: the same functions as
 * `egress-atlas traffic` and `cost --logs`). A demo estate with sample logs offers "Sample logs".
 * This file holds the state hook, the top-bar control, the summary banner and the sidebar's list of
 * observed sources; the graph marks, the details rows and the cost view read the same state.
 */
import { useCallback, useEffect, useMemo, useState, type Dispatch } from 'react';
import type { ResolveResult } from '../../shared/egress/types';
import type { EgressAtlasApi, ImportedFile } from '../../shared/ipc/contract';
import type { TrafficMarks } from '../graph/traffic-marks';
import type { Action } from '../state/app-state';
import type { EgressGraph } from '../../shared/graph/types';
import { bytesText } from '../../shared/traffic/format';
import {
  countText, edgeWidths, LEGEND_FLOWS, mergeLogFiles, totalFlows, volumesBySource, widthForFlows, type SourceVolume, type TrafficState,
} from '../state/traffic';
import { readFilesAsText } from '../util';

/** What "Add logs…" accepts: JSON (az / REST / diagnostic blobs / PT1H.json) and the portal's CSV. */
const LOG_ACCEPT = '.json,.csv,application/json,text/csv';

export interface TrafficControls {
  /** The traffic of the open estate (never another estate's). */
  readonly traffic: TrafficState | null;
  readonly volumes: ReadonlyMap<string, SourceVolume>;
  /** Sample log files the main side ships for this estate (a demo); empty: none. */
  readonly sample: readonly ImportedFile[];
  readonly costOpen: boolean;
  readonly setCostOpen: (open: boolean) => void;
  readonly addFiles: (files: readonly File[]) => Promise<void>;
  readonly loadSample: () => Promise<void>;
  readonly close: () => void;
  /** A drag with files is over the window (the drop target hint shows). */
  readonly dragging: boolean;
}

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

export function useTraffic(api: EgressAtlasApi, estateId: string | null, result: ResolveResult | null, dispatch: Dispatch<Action>): TrafficControls {
  const [state, setState] = useState<TrafficState | null>(null);
  const [sample, setSample] = useState<{ readonly estateId: string; readonly files: readonly ImportedFile[] } | null>(null);
  const [costOpen, setCostOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  const traffic = state !== null && state.estateId === estateId ? state : null;

  useEffect(() => {
    if (estateId === null) return;
    let live = true;
    void api.sampleLogs({ estateId }).then((r) => {
      if (live && r.ok) setSample({ estateId, files: r.value.files });
    });
    return () => { live = false; };
  }, [api, estateId]);

  // Files add up: the analysis runs over every file added so far, as `egress-atlas traffic --logs a b`
  // reads them together. Only the same file added again replaces itself: every flow-log blob is
  // named PT1H.json, so a name alone would drop one hour's blob for the next (mergeLogFiles).
  const analyse = useCallback(async (added: readonly ImportedFile[], label: string) => {
    if (estateId === null || added.length === 0) return;
    const files = mergeLogFiles(traffic?.files ?? [], added);
    dispatch({ kind: 'busy', label });
    const r = await api.traffic({ estateId, files });
    if (!r.ok) { dispatch({ kind: 'failed', error: r.error }); return; }
    setState({ estateId, files, answer: r.value });
    dispatch({ kind: 'idle' });
  }, [api, estateId, dispatch, traffic]);

  const addFiles = useCallback(async (files: readonly File[]) => {
    if (files.length === 0) return;
    await analyse(await readFilesAsText(files), `Reading ${files.length} log file${files.length === 1 ? '' : 's'}…`);
  }, [analyse]);

  const sampleFiles = useMemo(() => (sample !== null && sample.estateId === estateId ? sample.files : []), [sample, estateId]);
  const loadSample = useCallback(() => analyse(sampleFiles, 'Reading the sample logs…'), [analyse, sampleFiles]);

  // Files dropped anywhere on the window are logs, unless a drop zone (policy, destinations) took them.
  useEffect(() => {
    if (estateId === null) return;
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer && !e.defaultPrevented) e.dataTransfer.dropEffect = 'copy';
      setDragging(true);
    };
    const leave = (e: DragEvent) => { if (e.relatedTarget === null) setDragging(false); };
    const drop = (e: DragEvent) => {
      setDragging(false);
      if (e.defaultPrevented || !hasFiles(e)) return;
      e.preventDefault();
      void addFiles(Array.from(e.dataTransfer?.files ?? []));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [estateId, addFiles]);

  const volumes = useMemo(
    () => (traffic && result ? volumesBySource(result, traffic.answer.traffic) : new Map<string, SourceVolume>()),
    [traffic, result],
  );
  const close = useCallback(() => { setState(null); setCostOpen(false); }, []);
  return { traffic, volumes, sample: sampleFiles, costOpen: costOpen && traffic !== null, setCostOpen, addFiles, loadSample, close, dragging };
}

/** The graph's marks for the drawn graph: edge widths and a badge per observed source. */
export function trafficMarks(graph: EgressGraph, volumes: ReadonlyMap<string, SourceVolume>): TrafficMarks {
  return {
    edgeWidths: edgeWidths(graph, volumes),
    badges: [...volumes.values()].map((v) => ({
      nodeId: v.pathSourceId,
      denied: v.deniedFindings > 0,
      text: v.deniedFindings > 0 ? `${countText(v.flows)} flows · ${countText(v.deniedFlows)} denied` : `${countText(v.flows)} flows`,
    })),
  };
}

/** Top bar: "Add logs…" (file picker; drop works anywhere). A demo's samples are offered in the sidebar: the bar is full at 1440 px. */
export function AddLogsButton({ controls }: { readonly controls: TrafficControls }) {
  return (
    <label className={`btn small${controls.dragging ? ' drag-over' : ''}`} data-testid="add-logs-button"
      title="Add firewall log exports (az monitor log-analytics query JSON, Log Analytics REST JSON, portal CSV, diagnostic blobs) or flow-log PT1H.json files; or drop them anywhere on the window">
      Add logs…
      <input type="file" accept={LOG_ACCEPT} multiple className="sr-only" data-testid="add-logs-input"
        onChange={(e) => { void controls.addFiles(Array.from(e.target.files ?? [])); e.target.value = ''; }} />
    </label>
  );
}

/** Banner: what was read, the window, the headline numbers, the cost view toggle. */
export function TrafficBanner({ controls }: { readonly controls: TrafficControls }) {
  const traffic = controls.traffic;
  if (traffic === null) {
    return controls.dragging ? <div className="banner info" data-testid="logs-drop-hint">Drop firewall or flow log files to add them to this estate.</div> : null;
  }
  const { answer } = traffic;
  const t = answer.traffic;
  const denied = t.findings.filter((f) => f.code === 'denied-traffic').length;
  const disagree = t.findings.filter((f) => f.code === 'model-disagrees').length;
  return (
    <div className="banner info" data-testid="traffic-banner">
      <div className="grow">
        <strong>Observed traffic</strong> {t.window.from ?? '?'} → {t.window.to ?? '?'}
        {' · '}{answer.files.length} file{answer.files.length === 1 ? '' : 's'}
        <span title={answer.files.map((f) => `${f.name}: ${f.shape}, ${f.records} record(s)`).join('\n')}> ({answer.files.map((f) => f.shape).filter((s, i, all) => all.indexOf(s) === i).join(', ')})</span>
        {' · '}<span data-testid="traffic-summary">{t.sources.length} source{t.sources.length === 1 ? '' : 's'}, {countText(totalFlows(t))} flows</span>
        {' · '}{t.findings.length} finding{t.findings.length === 1 ? '' : 's'}
        {denied > 0 ? <> (<span className="badge tone-bad">{denied} denied-traffic</span>{disagree > 0 ? <> <span className="badge tone-warn">{disagree} model-disagrees</span></> : null})</> : null}
        {t.unattributed.length > 0 ? <> · {t.unattributed.length} unattributed source IP{t.unattributed.length === 1 ? '' : 's'}</> : null}
        {t.gaps.length > 0 ? <> · {t.gaps.length} gap{t.gaps.length === 1 ? '' : 's'}</> : null}
        <span className="sub"> · edge width = observed flows</span>
      </div>
      <button type="button" className="btn small toggle" aria-pressed={controls.costOpen} data-testid="show-cost"
        onClick={() => controls.setCostOpen(!controls.costOpen)}>Cost by owner</button>
      <button type="button" className="btn small ghost" onClick={controls.close} aria-label="Remove the logs" title="Remove the logs">✕</button>
    </div>
  );
}

/** Sidebar header: the sources with observed traffic, busiest first; a click selects one. */
export function ObservedSources({ controls, result, selectedSourceId, onSelect, squeezed = false, onUnsqueeze }: {
  readonly controls: TrafficControls;
  readonly result: ResolveResult;
  readonly selectedSourceId: string | null;
  readonly onSelect: (sourceId: string) => void;
  /** Collapsed by the workspace: the sidebar has no room for one whole row (see useSidebarFit). */
  readonly squeezed?: boolean;
  /** The user opens a squeezed panel: it stays open (the sidebar scrolls) until the layout changes. */
  readonly onUnsqueeze?: () => void;
}) {
  const [open, setOpen] = useState(true);
  const names = useMemo(() => new Map(result.paths.map((p) => [p.source.id.toLowerCase(), p.source.name] as const)), [result]);
  if (controls.traffic === null) {
    // A demo with sample logs offers them here, for demonstrations without log files at hand.
    if (controls.sample.length === 0) return null;
    return (
      <div className="observed-sources observed-offer">
        <span style={{ flex: 1, color: 'var(--muted)' }}>Observed traffic: no logs added yet</span>
        <button type="button" className="btn small" data-testid="sample-logs"
          title={`Load this demo's sample logs: ${controls.sample.map((f) => f.name).join(', ')}`}
          onClick={() => void controls.loadSample()}>Sample logs</button>
      </div>
    );
  }
  const rows = [...controls.volumes.values()].sort((a, b) => b.flows - a.flows);
  const selected = selectedSourceId?.toLowerCase() ?? null;
  const shown = open && !squeezed;
  return (
    // Sized and scrolled by the sidebar's CSS (.observed-sources): it gives up height before the
    // source list does, so the list below keeps rows in view on a 720 px high window.
    <div className={`observed-sources${shown ? '' : ' collapsed'}`} data-testid="observed-sources">
      <button type="button" className="btn small ghost observed-toggle" aria-expanded={shown}
        title={squeezed && open ? 'Collapsed to leave the source list room: click to show the sources' : undefined}
        onClick={() => { if (squeezed && open) onUnsqueeze?.(); else setOpen(!open); }}>
        {shown ? '▾' : '▸'} Observed traffic · {rows.length} source{rows.length === 1 ? '' : 's'}
      </button>
      {shown ? (
        <ul className="observed-list" aria-label="Sources with observed traffic">
          {rows.map((v) => (
            <li key={v.pathSourceId}>
              <button type="button" className="observed-source" data-testid="observed-source" data-source-id={v.pathSourceId}
                aria-current={selected === v.pathSourceId.toLowerCase() ? 'true' : undefined}
                onClick={() => onSelect(v.pathSourceId)}>
                <span className="observed-name">{names.get(v.pathSourceId.toLowerCase()) ?? v.pathSourceId}</span>
                <span className="sub" style={{ color: 'var(--muted)' }}>{countText(v.flows)}{v.bytes !== null ? ` · ${bytesText(v.bytes)}` : ''}</span>
                {v.deniedFindings > 0 ? <span className="badge tone-bad" data-testid="observed-denied">{countText(v.deniedFlows)} denied</span> : null}
                {v.disagreements > 0 ? <span className="badge tone-warn" title="Rows where the log and the model disagree">≠ {v.disagreements}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The graph legend's entry while logs are shown: edge widths for 1 … 1,000 flows, and the badges. */
export function TrafficLegend({ controls }: { readonly controls: TrafficControls }) {
  if (controls.traffic === null) return null;
  return (
    <span data-testid="legend-traffic" style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
      Edge width = observed flows (log scale):
      {LEGEND_FLOWS.map((flows) => (
        <span key={flows} style={{ display: 'inline-flex', alignItems: 'center', gap: 3 }}>
          <b aria-hidden="true" style={{ display: 'inline-block', width: 18, height: widthForFlows(flows), background: 'var(--muted)', borderRadius: 1 }} />
          {countText(flows)}
        </span>
      ))}
      <span className="badge" style={{ background: '#2c5fa8', color: '#fff' }}>n flows</span>
      <span className="badge" style={{ background: '#b3261e', color: '#fff' }}>n denied</span> denied-traffic finding
    </span>
  );
}
