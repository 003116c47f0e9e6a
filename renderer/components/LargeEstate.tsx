/**
 * A LARGE estate (more than LARGE_ESTATE_SOURCES sources, opened from a file the main side read):
 * the page never receives the snapshot or every path. It opens on the flow overview the main side
 * aggregated, asks for the list a window of rows at a time (`flowSources`) and for one source's
 * path and the resources it touches when one is selected (`sourcePath`), which it draws with the
 * same graph and explanation panes as a small estate.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ResolveResult, Verdict } from '../../shared/egress/types';
import { RESOLVE_SCHEMA } from '../../shared/egress/types';
import { describeBand, type FlowBand, type FlowGrouping } from '../../shared/graph/flow-overview';
import { emptyNetworkModel } from '../../shared/model/topology';
import type { EgressAtlasApi, EstateOverview, FlowSourceRow, IpcError, SourceDetails } from '../../shared/ipc/contract';
import type { GraphCanvas } from '../graph/canvas';
import { resourceDetails } from '../state/selectors';
import { testHook } from '../test-hook';
import { DetailsPanel } from './DetailsPanel';
import { useReach } from './useReach';
import { ErrorBanner } from './ErrorBanner';
import { FlowOverview } from './FlowOverview';
import { GraphPane } from './GraphPane';
import { useTheme } from './useTheme';

const ROW_PX = 46;
const PAGE = 200;
const OVERSCAN_PX = 600;
const NO_IDS: ReadonlySet<string> = new Set();
const EMPTY_MODEL = emptyNetworkModel();

const VERDICT_BADGE: Readonly<Record<Verdict, { readonly text: string; readonly tone: 'good' | 'neutral' | 'warn' | 'bad' }>> = {
  internet: { text: 'Internet', tone: 'good' },
  private: { text: 'Private', tone: 'neutral' },
  'on-premises': { text: 'On-premises', tone: 'neutral' },
  dropped: { text: 'Dropped', tone: 'bad' },
  denied: { text: 'Denied', tone: 'bad' },
  'no-outbound': { text: 'No outbound', tone: 'bad' },
  unknown: { text: 'Unknown', tone: 'warn' },
};

interface Props {
  readonly api: EgressAtlasApi;
  readonly estate: EstateOverview;
  readonly onClose: () => void;
  /** Opens the estate whole in the page (what-if, policies, matrix, compare, exports). */
  readonly onOpenFull: () => void;
}

interface BandPick { readonly bandId: string; readonly label: string }

export function LargeEstate({ api, estate, onClose, onOpenFull }: Props) {
  const estateId = estate.summary.estateId;
  const theme = useTheme();
  const [grouping, setGrouping] = useState<FlowGrouping>(estate.overview.grouping);
  const [overview, setOverview] = useState(estate.overview);
  const [band, setBand] = useState<BandPick | null>(null);
  const bandId = band?.bandId ?? null;
  /** One list per grouping and band; its pages are cached under `<query>\0<page>`. */
  const queryKey = `${grouping}\u0000${bandId ?? ''}`;
  const [pages, setPages] = useState<ReadonlyMap<string, readonly FlowSourceRow[]>>(new Map());
  const [totals, setTotals] = useState<ReadonlyMap<string, number>>(new Map());
  const total = totals.get(queryKey) ?? (bandId === null ? estate.sourceCount : 0);
  const requested = useRef(new Set<string>());
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);
  const listRef = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<SourceDetails | null>(null);
  const [selectedNodeId, setSelectedNodeId] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    if (grouping === overview.grouping) return;
    let live = true;
    void api.estateOverview({ estateId, grouping }).then((r) => {
      if (!live) return;
      if (r.ok) setOverview(r.value.overview); else setError(r.error);
    });
    return () => { live = false; };
  }, [api, estateId, grouping, overview.grouping]);

  const select = useCallback(async (sourceId: string | null) => {
    if (sourceId === null) { setSelected(null); setSelectedNodeId(null); return; }
    testHook.timings.selectedAt = performance.now();
    const r = await api.sourcePath({ estateId, sourceId });
    if (!r.ok) { setError(r.error); return; }
    setSelected(r.value);
    setSelectedNodeId(null);
  }, [api, estateId]);

  useEffect(() => {
    const el = listRef.current;
    if (!el) return undefined;
    const measure = () => setViewport(el.clientHeight);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor((scrollTop - OVERSCAN_PX) / ROW_PX));
  const last = Math.min(total, Math.ceil((scrollTop + viewport + OVERSCAN_PX) / ROW_PX));
  // The pages of rows in view (and the first page of a new list), each asked for once.
  useEffect(() => {
    for (let page = Math.floor(first / PAGE); page <= Math.floor(Math.max(first, last - 1) / PAGE); page++) {
      const key = `${queryKey}\u0000${page}`;
      if (requested.current.has(key)) continue;
      requested.current.add(key);
      void api.flowSources({ estateId, grouping, bandId, offset: page * PAGE, limit: PAGE }).then((r) => {
        if (!r.ok) { setError(r.error); return; }
        setTotals((old) => new Map(old).set(queryKey, r.value.total));
        setPages((old) => new Map(old).set(key, r.value.rows));
      });
    }
  }, [api, estateId, grouping, bandId, queryKey, first, last]);

  useEffect(() => {
    const onKeyDown = (e: globalThis.KeyboardEvent) => {
      const t = e.target;
      if (e.key !== 'Escape' || e.defaultPrevented || t instanceof HTMLInputElement || t instanceof HTMLSelectElement) return;
      void select(null);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [select]);

  const rows: { readonly index: number; readonly row: FlowSourceRow | null }[] = [];
  for (let i = first; i < last; i++) rows.push({ index: i, row: pages.get(`${queryKey}\u0000${Math.floor(i / PAGE)}`)?.[i % PAGE] ?? null });

  const toTop = () => { listRef.current?.scrollTo({ top: 0 }); setScrollTop(0); };
  // A band: the list shows its sources and its first source is opened (its path and explanation).
  const pickBand = (picked: FlowBand) => {
    setBand({ bandId: picked.id, label: describeBand(overview, picked) });
    toTop();
    void api.flowSources({ estateId, grouping, bandId: picked.id, offset: 0, limit: 1 }).then((r) => {
      const firstRow = r.ok ? r.value.rows[0] : undefined;
      if (firstRow) void select(firstRow.sourceId);
    });
  };
  const result: ResolveResult | null = useMemo(() => (selected ? {
    schema: RESOLVE_SCHEMA, destination: selected.destination, paths: [selected.path], findings: [], gaps: [],
  } : null), [selected]);
  const onCanvas = useCallback((_canvas: GraphCanvas | null) => undefined, []);
  const onTapNode = useCallback((nodeId: string) => setSelectedNodeId(nodeId), []);
  const onTapBackground = useCallback(() => setSelectedNodeId(null), []);
  const selectedId = selected?.path.source.id ?? null;
  const nodeDetails = selected && selectedNodeId !== null ? resourceDetails(selected.model, selectedNodeId) : null;
  // "Can reach" for the selected source, asked of the main side as in the whole workspace.
  const reach = useReach(api, estate.summary.estateId, selectedId);

  const onListKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const all = rows.filter((r) => r.row !== null);
    const at = all.findIndex((r) => r.row?.sourceId === selectedId);
    const next = all[Math.max(0, Math.min(all.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
    if (next?.row) void select(next.row.sourceId);
  };

  const s = estate.summary;
  return (
    <div className="workspace">
      <header className="topbar">
        <button type="button" className="btn small ghost" onClick={onClose} title="Back to the start screen" aria-label="Back to the start screen">←</button>
        <h1 className="estate-title" title={s.title} data-testid="estate-title">{s.title}</h1>
        <span className="sub" data-testid="large-estate-summary">
          {estate.sourceCount.toLocaleString('en-US')} sources · {s.subnetCount.toLocaleString('en-US')} subnets · {s.networkInterfaceCount.toLocaleString('en-US')} NICs · {s.virtualNetworkCount.toLocaleString('en-US')} VNets · paths to {estate.destination}, loaded per source
        </span>
        <span className="spacer" />
        <button type="button" className="btn small" data-testid="open-full-workspace" onClick={onOpenFull}
          title="Loads the whole estate into the page: what-if, destinations, policies, compare, traffic and exports (slower to open on an estate this size)">
          All features…
        </button>
      </header>
      <section className="banners" aria-label="Notices">
        {error ? <ErrorBanner error={error} onDismiss={() => setError(null)} /> : null}
        {estate.gaps.length > 0 ? (
          <div className="banner gaps" data-testid="gaps-banner">{estate.gaps.length} gap{estate.gaps.length === 1 ? '' : 's'} in this snapshot: some things could not be seen or modelled ({[...new Set(estate.gaps.map((g) => g.code))].slice(0, 4).join(', ')}).</div>
        ) : null}
      </section>
      <main className="main">
        <aside className="sidebar" aria-label="Subnets">
          {band ? (
            <div className="band-chip" data-testid="band-chip" title={band.label}>
              <span className="grow">Filtered by band {band.label}</span>
              <button type="button" className="btn small ghost" aria-label="Clear the band filter" data-testid="band-chip-clear" onClick={() => { setBand(null); toTop(); }}>×</button>
            </div>
          ) : null}
          <div className="controls">
            <div className="counts"><span data-testid="source-count">{total.toLocaleString('en-US')} of {estate.sourceCount.toLocaleString('en-US')} sources</span></div>
          </div>
          <div className="source-list" role="listbox" tabIndex={0} aria-label="Egress sources" ref={listRef} data-testid="source-list"
            onKeyDown={onListKey} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
            <div className="source-window" style={{ height: total * ROW_PX }}>
              {rows.map(({ index, row }) => row === null
                ? <div key={index} className="source" style={{ top: index * ROW_PX, height: ROW_PX }} aria-hidden="true"><span className="addr">…</span></div>
                : (
                  <div key={row.sourceId} role="option" aria-selected={row.sourceId === selectedId} aria-posinset={index + 1} aria-setsize={total}
                    data-source-id={row.sourceId} data-testid="source-row" className={`source ${row.type}`} title={row.name}
                    style={{ top: index * ROW_PX, height: ROW_PX }} onClick={() => void select(row.sourceId)}>
                    <span className="name">{row.name}</span>
                    <span className="addr">{row.group} · {row.inspection} · {row.exit}</span>
                    <span className={`badge tone-${row.bypass ? 'warn' : VERDICT_BADGE[row.verdict].tone}`}>{VERDICT_BADGE[row.verdict].text}{row.bypass ? ' · bypass' : ''}</span>
                  </div>
                ))}
            </div>
          </div>
        </aside>
        {selected && result ? (
          <GraphPane model={selected.model} result={result} mode="overview" theme={theme}
            selectedSourceId={selected.path.source.id} changedSourceIds={NO_IDS} focusRequest={0} animate={false}
            onTapNode={onTapNode} onTapBackground={onTapBackground} onCanvas={onCanvas} />
        ) : (
          <FlowOverview overview={overview} grouping={grouping} onGrouping={(g) => { setBand(null); setGrouping(g); toTop(); }} theme={theme}
            activeBandId={band?.bandId ?? null} onBand={pickBand} />
        )}
        <DetailsPanel path={selected?.path ?? null} destination={estate.destination} details={nodeDetails} tour={null}
          estateFindings={estate.findings} reach={selected ? reach : null} model={selected?.model ?? EMPTY_MODEL} />
      </main>
    </div>
  );
}
