/**
 * The estate workspace: top bar (what-if, destinations list, compare, exports, tour), banners
 * (errors, gaps, comparison), and the three panes: subnet list, graph (or the destinations matrix
 * over it), explanation.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type Dispatch, type DragEvent, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { TRAINING_SUBSCRIPTION, TRAINING_TOUR } from '../../shared/demo/training';
import { captureExtentOf } from '../../shared/egress/compare';
import { chooseDefaultView, DEFAULT_ELEMENT_BUDGET } from '../../shared/graph/build-egress-graph';
import { aggregateFlow, bandMembers, describeBand, flowFacts, type FlowBand, type FlowGrouping } from '../../shared/graph/flow-overview';
import type { EgressAtlasApi } from '../../shared/ipc/contract';
import type { GraphCanvas } from '../graph/canvas';
import type { Action, AppState } from '../state/app-state';
import { sourceChanges } from '../state/compare';
import { violatingSourceIds } from '../state/controls';
import {
  buildSourceList, changedSourceIds, resourceDetails, selectedPath, sourceIdForSubnetName, validateDestination, whatIfPrivateNote,
} from '../state/selectors';
import { testHook } from '../test-hook';
import { buildDiagram, DIAGRAM_FORMATS, type DiagramFormat } from '../diagram-export';
import { base64ToBlob, downloadBlob, downloadText, fileStem, readFilesAsText } from '../util';
import { sourceToSelect } from '../state/reach-matrix';
import { filterListByBand, showsFlow, type BandFilter } from '../state/flow-overview';
import { FlowOverview } from './FlowOverview';
import { DetailsPanel, type TourProps } from './DetailsPanel';
import { ControlsPanel } from './ControlsPanel';
import { CompareBanner } from './CompareBanner';
import { ErrorBanner } from './ErrorBanner';
import { GraphPane } from './GraphPane';
import { MatrixView } from './MatrixView';
import { SourceList } from './SourceList';
import { useReach } from './useReach';
import { AddLogsButton, ObservedSources, TrafficBanner, TrafficLegend, trafficMarks, useTraffic } from './TrafficPanel';
import { ObservedTraffic } from './ObservedTraffic';
import { CostView } from './CostView';
import type { EgressGraph } from '../../shared/graph/types';
import { useDismiss } from './useDismiss';
import { useSidebarFit } from './useSidebarFit';
import { useTheme } from './useTheme';

/** What the destinations control accepts: one destination per line, CSV `destination,label`, or a JSON array. */
const DESTINATION_LIST_ACCEPT = '.txt,.csv,.json,text/plain,text/csv,application/json';
/** What the policy control accepts: an egress policy (`egress-atlas check --policy`), YAML or JSON. */
const POLICY_ACCEPT = '.yaml,.yml,.json,application/json,application/yaml,text/yaml';

/** The what-if field's placeholder: the common forms only, so it fits the field at 1280 px. */
const WHAT_IF_PLACEHOLDER = 'IP, CIDR, FQDN, URL…';
/** Every form the what-if field accepts, in the hint under it. */
const WHAT_IF_HINT = 'Empty for the default route (0.0.0.0/0), or an IP address, a CIDR (20.50.0.0/16), an FQDN (api.stripe.com), '
  + 'a URL or a service tag (Storage.WestEurope), optionally with :port and /tcp or /udp. Enter resolves it.';

/** Inputs, selects and editable text, where Esc belongs to the field. */
function isTextEntry(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
    || (target instanceof HTMLElement && target.isContentEditable);
}

/** A menu's items that can take the focus (disabled ones are skipped, as they cannot be chosen). */
function menuItems(menu: HTMLElement | null): readonly HTMLElement[] {
  return menu ? Array.from(menu.querySelectorAll<HTMLElement>('[role="menuitem"]:not(:disabled)')) : [];
}

interface Props {
  readonly api: EgressAtlasApi;
  readonly state: AppState;
  readonly dispatch: Dispatch<Action>;
  /** A sentence that came with the estate (a pull's recent-list copy failed), shown until dismissed. */
  readonly notice?: string | null;
  readonly onDismissNotice?: () => void;
}

export function Workspace({ api, state, dispatch, notice = null, onDismissNotice }: Props) {
  const estate = state.estate;
  const result = state.result;
  const theme = useTheme();
  const canvasRef = useRef<GraphCanvas | null>(null);
  const [destinationText, setDestinationText] = useState(state.destination ?? '');
  const [destinationError, setDestinationError] = useState<string | null>(null);
  // The hint under the what-if field is in the page flow (a row at the top of the banners), so it
  // pushes them down instead of covering them. It is shown while the field has the focus, until
  // Esc dismisses it (WCAG 1.4.13: without moving the focus) or Enter resolves the text (the
  // result banner then says what was understood); the next edit brings it back after Enter only.
  const [whatIfFocused, setWhatIfFocused] = useState(false);
  const [whatIfHintOff, setWhatIfHintOff] = useState<'esc' | 'submitted' | null>(null);
  const whatIfHintShown = whatIfFocused && whatIfHintOff === null && destinationError === null;
  const [gapsOpen, setGapsOpen] = useState(false);
  const [exportOpen, setExportOpen] = useState(false);
  // A warning about an exported file (a Mermaid diagram past GitHub's limits), shown until dismissed.
  const [exportWarning, setExportWarning] = useState<string | null>(null);
  const exportRef = useRef<HTMLDivElement>(null);
  const exportButtonRef = useRef<HTMLButtonElement>(null);
  const exportMenuRef = useRef<HTMLDivElement>(null);
  // Which item takes the focus once the menu is mounted: opened from the keyboard, the WAI-ARIA
  // menu button pattern puts the focus in the menu (first item, or last for ArrowUp); a mouse
  // click leaves it on the button. A ref: it only steers the effect below, nothing renders from it.
  const exportFocusRef = useRef<'first' | 'last' | null>(null);
  const closeExport = useCallback(() => setExportOpen(false), []);
  useDismiss(exportOpen, closeExport, exportRef, exportButtonRef);
  const focusExportItem = useCallback((which: 'first' | 'last') => {
    const items = menuItems(exportMenuRef.current);
    (which === 'first' ? items[0] : items[items.length - 1])?.focus();
  }, []);
  useLayoutEffect(() => {
    const which = exportFocusRef.current;
    exportFocusRef.current = null;
    if (exportOpen && which !== null) focusExportItem(which);
  }, [exportOpen, focusExportItem]);
  const onExportButtonKey = (e: ReactKeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== 'Enter' && e.key !== ' ' && e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    // Handled here rather than as a click: Enter and Space open (never toggle shut) and move the focus in.
    e.preventDefault();
    const which = e.key === 'ArrowUp' ? 'last' : 'first';
    if (exportOpen) { focusExportItem(which); return; }
    exportFocusRef.current = which;
    setExportOpen(true);
  };
  const onExportMenuKey = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    const items = menuItems(exportMenuRef.current);
    const at = items.findIndex((item) => item === document.activeElement);
    const next = e.key === 'ArrowDown' ? items[(at + 1) % items.length]
      : e.key === 'ArrowUp' ? items[(at - 1 + items.length) % items.length]
        : e.key === 'Home' ? items[0]
          : e.key === 'End' ? items[items.length - 1]
            : undefined;
    if (next) { e.preventDefault(); next.focus(); return; }
    // Tab leaves a menu (its items are out of the tab order) and closes it; Esc is useDismiss's.
    if (e.key === 'Tab') setExportOpen(false);
  };
  const [listDragOver, setListDragOver] = useState(false);
  const [policyDragOver, setPolicyDragOver] = useState(false);
  const reach = useReach(api, estate?.summary.estateId ?? null, state.selectedSourceId);
  // Observed traffic (issue 13): logs added to the estate, their graph marks, details rows and cost view.
  const traffic = useTraffic(api, estate?.summary.estateId ?? null, result, dispatch);
  const trafficMarksFor = useMemo(() => (traffic.traffic === null ? null : (g: EgressGraph) => trafficMarks(g, traffic.volumes)), [traffic.traffic, traffic.volumes]);

  // Selection changes must not rebuild the list (thousands of rows on big estates): only its inputs count.
  const { search, badgeFilter, severityFilter, compare } = state;
  const fullList = useMemo(
    () => buildSourceList({ estate, result, search, badgeFilter, severityFilter, compare }),
    [estate, result, search, badgeFilter, severityFilter, compare],
  );
  // The flow overview (FlowOverview.tsx): the default centre view when the estate is too large for
  // a node-per-subnet graph; a band click filters the list to its sources until the chip is cleared.
  const [flowPicked, setFlowPicked] = useState(false);
  const [grouping, setGrouping] = useState<FlowGrouping>('virtual-network');
  // Kept with the result and grouping it was picked in: a what-if or regrouping makes it stale.
  const [bandPick, setBandFilter] = useState<{ readonly filter: BandFilter; readonly result: typeof result; readonly grouping: FlowGrouping } | null>(null);
  const facts = useMemo(() => (estate && result ? flowFacts(estate.snapshot.model, result) : []), [estate, result]);
  const flow = useMemo(() => aggregateFlow(facts, grouping), [facts, grouping]);
  const tooLargeForGraph = useMemo(
    () => result !== null && (result.paths.length > DEFAULT_ELEMENT_BUDGET || chooseDefaultView(result).kind === 'overview'),
    [result],
  );
  const bandFilter = bandPick !== null && bandPick.result === result && bandPick.grouping === grouping ? bandPick.filter : null;
  const list = useMemo(() => filterListByBand(fullList, bandFilter), [fullList, bandFilter]);
  const flowShown = showsFlow(flowPicked ? 'flow' : state.viewMode === 'auto' ? 'auto' : 'other', tooLargeForGraph, state.selectedSourceId)
    && state.centreView === 'graph';
  const pickBand = (band: FlowBand) => {
    const members = new Set(bandMembers(facts, flow, band.id).map((f) => f.sourceId.toLowerCase()));
    setBandFilter({ filter: { bandId: band.id, label: describeBand(flow, band), sourceIds: members }, result, grouping });
    // Open the band: its first source in list order is selected (its path drawn); Esc returns here.
    const first = fullList.visibleSourceIds.find((id) => members.has(id.toLowerCase())) ?? null;
    testHook.timings.selectedAt = performance.now();
    dispatch({ kind: 'select-source', sourceId: first });
  };
  const changed = useMemo(() => changedSourceIds({ compare }), [compare]);
  const { policy, selectedControlId } = state;
  const violating = useMemo(() => violatingSourceIds({ policy, selectedControlId }), [policy, selectedControlId]);
  const sidebarRef = useRef<HTMLElement>(null);
  // What is in the sidebar's panels: a change lets collapsed panels open and be measured again.
  const sidebarFit = useSidebarFit(sidebarRef, [
    traffic.traffic === null ? 0 : traffic.volumes.size, policy?.fileName ?? '', policy?.result.controls.length ?? 0, selectedControlId ?? '',
  ].join('|'));
  const path = selectedPath(state);
  const nodeDetails = estate && state.selectedNodeId !== null ? resourceDetails(estate.snapshot.model, state.selectedNodeId) : null;
  const isTraining = estate?.snapshot.model.subnets.some((s) => s.subscriptionId === TRAINING_SUBSCRIPTION) ?? false;

  const onTapNode = useCallback((nodeId: string, kind: string) => {
    if (kind === 'subnet' || kind === 'nic') {
      testHook.timings.selectedAt = performance.now();
      dispatch({ kind: 'select-source', sourceId: nodeId });
    }
    dispatch({ kind: 'select-node', nodeId });
  }, [dispatch]);
  const onTapBackground = useCallback(() => dispatch({ kind: 'select-node', nodeId: null }), [dispatch]);
  const onCanvas = useCallback((c: GraphCanvas | null) => { canvasRef.current = c; }, []);

  // Esc clears the selection wherever the focus is (the path view's label promises "Esc for the
  // overview", and a click on the graph moves the focus out of the list). The list handles its own
  // keys first and marks them handled; text fields keep Esc for themselves.
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || isTextEntry(e.target)) return;
      dispatch({ kind: 'clear' });
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [dispatch]);

  if (!estate || !result) return null;
  const estateId = estate.summary.estateId;
  const stem = fileStem(estate.summary.title);

  const runWhatIf = async () => {
    const v = validateDestination(destinationText);
    if (!v.ok) { setDestinationError(v.message); return; }
    setDestinationError(null);
    dispatch({ kind: 'busy', label: v.destination === null ? 'Resolving the default route…' : `Resolving to ${v.destination}…` });
    const r = await api.resolve({ estateId, destination: v.destination });
    if (!r.ok) { dispatch({ kind: 'failed', error: r.error }); return; }
    testHook.timings.resultAt = performance.now();
    dispatch({ kind: 'resolved', destination: v.destination, result: r.value });
  };

  const compareWith = async (files: readonly File[]) => {
    if (files.length === 0) return;
    dispatch({ kind: 'busy', label: 'Opening the snapshot to compare…' });
    const opened = await api.importFiles({ files: await readFilesAsText(files) });
    if (!opened.ok) { dispatch({ kind: 'failed', error: opened.error }); return; }
    const other = await api.resolve({ estateId: opened.value.summary.estateId, destination: state.destination });
    if (!other.ok) { dispatch({ kind: 'failed', error: other.error }); return; }
    // With each snapshot's scope and NICs, compare tells a NIC that now follows its subnet from one
    // that is gone, and a subscription the other capture did not cover from one emptied.
    const changes = sourceChanges({ ...result, capture: captureExtentOf(estate.snapshot) }, { ...other.value, capture: captureExtentOf(opened.value.snapshot) });
    dispatch({ kind: 'compared', compare: { title: opened.value.summary.title, changes, capturedAt: opened.value.snapshot.metadata.capturedAt } });
  };

  const loadDestinations = async (files: readonly File[]) => {
    const [file] = files;
    if (!file) return;
    dispatch({ kind: 'busy', label: `Resolving every destination of ${file.name}…` });
    const r = await api.matrix({ estateId, destinations: await file.text(), fileName: file.name });
    if (!r.ok) { dispatch({ kind: 'failed', error: r.error }); return; }
    dispatch({ kind: 'matrix-loaded', matrix: { fileName: file.name, result: r.value } });
  };
  const onListDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    setListDragOver(false);
    void loadDestinations(Array.from(e.dataTransfer.files));
  };
  const loadPolicy = async (files: readonly File[]) => {
    const [file] = files;
    if (!file) return;
    dispatch({ kind: 'busy', label: `Checking the estate against ${file.name}…` });
    const r = await api.check({ estateId, policy: await file.text(), fileName: file.name });
    if (!r.ok) { dispatch({ kind: 'failed', error: r.error }); return; }
    dispatch({ kind: 'policy-checked', policy: { fileName: file.name, result: r.value } });
  };
  const onPolicyDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    setPolicyDragOver(false);
    void loadPolicy(Array.from(e.dataTransfer.files));
  };
  // A matrix cell: the same what-if as the box (its answer is cached on the main side), then the
  // row's source selected so the graph highlights that path.
  const pickMatrixCell = async (sourceId: string, destination: string) => {
    setDestinationText(destination);
    setDestinationError(null);
    dispatch({ kind: 'busy', label: `Resolving to ${destination}…` });
    const r = await api.resolve({ estateId, destination });
    if (!r.ok) { dispatch({ kind: 'failed', error: r.error }); return; }
    testHook.timings.resultAt = performance.now();
    testHook.timings.selectedAt = performance.now();
    dispatch({ kind: 'matrix-pick', destination, result: r.value, sourceId: sourceToSelect(estate.snapshot.model, r.value.paths, sourceId) });
  };

  const exportPng = () => {
    const canvas = canvasRef.current;
    if (canvas) downloadBlob(`${stem}-graph.png`, canvas.png(theme === 'dark' ? '#121519' : '#ffffff'));
  };
  const exportSvg = () => {
    const canvas = canvasRef.current;
    if (canvas) downloadText(`${stem}-graph.svg`, canvas.svg(theme === 'dark' ? '#121519' : '#ffffff'), 'image/svg+xml');
  };
  const exportJson = () => downloadText(`${stem}-paths.json`, `${JSON.stringify(result, null, 2)}\n`, 'application/json');
  const saveSnapshot = async () => {
    const r = await api.saveSnapshot({ estateId });
    if (!r.ok) { dispatch({ kind: 'failed', error: r.error }); return; }
    downloadText(r.value.fileName, r.value.text, 'application/json');
  };
  const exportEvidence = async (selectionOnly: boolean) => {
    dispatch({ kind: 'busy', label: 'Writing the evidence PDF…' });
    const r = await api.exportEvidence({
      estateId, destination: state.destination,
      sourceIds: selectionOnly && state.selectedSourceId !== null ? [state.selectedSourceId] : null,
      ...(traffic.traffic === null ? {} : { withTraffic: true }),
    });
    if (!r.ok) { dispatch({ kind: 'failed', error: r.error }); return; }
    downloadBlob(r.value.fileName, base64ToBlob(r.value.base64, 'application/pdf'));
    dispatch({ kind: 'idle' });
  };

  const exportDiagram = async (format: DiagramFormat, selectionOnly: boolean) => {
    dispatch({ kind: 'busy', label: 'Drawing the diagram…' });
    try {
      const file = await buildDiagram(format, {
        snapshot: estate.snapshot, result, title: estate.summary.title, destination: state.destination, mode: state.viewMode,
        sourceId: selectionOnly ? state.selectedSourceId : null,
      });
      if (file.blob) downloadBlob(file.fileName, file.blob); else downloadText(file.fileName, file.text, file.mimeType);
      setExportWarning(file.warning ?? null);
      dispatch({ kind: 'idle' });
    } catch (e) {
      dispatch({ kind: 'failed', error: { code: 'internal', message: `The diagram could not be drawn: ${e instanceof Error ? e.message : String(e)}` } });
    }
  };

  const goToLesson = (step: number) => {
    const lesson = TRAINING_TOUR[step];
    if (!lesson) return;
    dispatch({ kind: 'tour-step', step, sourceId: sourceIdForSubnetName(result, lesson.subnetName) });
  };
  const tour: TourProps | null = state.tour
    ? { lessons: TRAINING_TOUR, step: state.tour.step, onStep: goToLesson, onEnd: () => dispatch({ kind: 'end-tour' }) }
    : null;

  const gaps = result.gaps;
  return (
    <div className="workspace">
      <header className="topbar">
        <button type="button" className="btn small ghost" onClick={() => dispatch({ kind: 'close-estate' })} title="Back to the start screen" aria-label="Back to the start screen">←</button>
        <h1 className="estate-title" title={estate.summary.title} data-testid="estate-title">{estate.summary.title}</h1>
        <form className="group" onSubmit={(e) => { e.preventDefault(); setWhatIfHintOff('submitted'); void runWhatIf(); }}>
          <label htmlFor="what-if" className="sub">What if to</label>
          {/* The placeholder is short enough to read whole in the narrowest one-line bar (1280 px with
              Matrix and Guided tour); every accepted form is in the hint (in the banners below),
              shown while the field has the focus and read with it by screen readers (aria-describedby). */}
          <span className="what-if-field">
          <input id="what-if" className={`input${destinationError ? ' invalid' : ''}`} placeholder={WHAT_IF_PLACEHOLDER}
            aria-describedby="what-if-hint" value={destinationText} data-testid="what-if-input"
            onFocus={() => { setWhatIfFocused(true); setWhatIfHintOff(null); }}
            onBlur={() => setWhatIfFocused(false)}
            onKeyDown={(e) => {
              // Esc hides the hint only: the focus and the text stay (nothing else in the field uses Esc).
              if (e.key === 'Escape' && whatIfHintShown) { e.preventDefault(); setWhatIfHintOff('esc'); }
            }}
            onChange={(e) => {
              setDestinationText(e.target.value);
              if (whatIfHintOff === 'submitted') setWhatIfHintOff(null);
              // Inline validation: the same parser as the CLI; an error shows once the text cannot become a destination.
              const v = validateDestination(e.target.value);
              setDestinationError(v.ok ? null : v.message);
            }}
            aria-invalid={destinationError !== null} />
          </span>
          <button type="submit" className="btn small" data-testid="what-if-run">Resolve</button>
        </form>
        <span className="sep" />
        <div className="group">
          <label className="sub" htmlFor="view-mode">View</label>
          <select id="view-mode" className="input" style={{ height: 26 }} value={flowPicked ? 'flow' : state.viewMode}
            onChange={(e) => {
              // The flow overview keeps the VNet overview's path view underneath for a selected source.
              setFlowPicked(e.target.value === 'flow');
              dispatch({ kind: 'view-mode', mode: e.target.value === 'full' ? 'full' : e.target.value === 'overview' || e.target.value === 'flow' ? 'overview' : 'auto' });
            }}>
            <option value="auto">Automatic</option>
            <option value="flow">Flow overview</option>
            <option value="full">All paths</option>
            <option value="overview">VNet overview</option>
          </select>
        </div>
        <span className="spacer" />
        <label className={`btn small${policyDragOver ? ' drag-over' : ''}`} data-testid="policy-button"
          title="Open an egress policy (.yaml, .yml or .json, as for egress-atlas check) and see which controls pass or fail; or drop the file here"
          onDragEnter={(e) => { e.preventDefault(); setPolicyDragOver(true); }}
          onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; }}
          onDragLeave={() => setPolicyDragOver(false)}
          onDrop={onPolicyDrop}>
          Policy…
          <input type="file" accept={POLICY_ACCEPT} className="sr-only" data-testid="policy-input"
            onChange={(e) => { void loadPolicy(Array.from(e.target.files ?? [])); e.target.value = ''; }} />
        </label>
        <label className={`btn small${listDragOver ? ' drag-over' : ''}`} data-testid="destinations-button"
          title="Open a list of destinations (.txt one per line, .csv destination,label, or .json) and see every source against each; or drop the file here"
          onDragEnter={(e) => { e.preventDefault(); setListDragOver(true); }}
          onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; }}
          onDragLeave={() => setListDragOver(false)}
          onDrop={onListDrop}>
          Destinations…
          <input type="file" accept={DESTINATION_LIST_ACCEPT} className="sr-only" data-testid="destinations-input"
            onChange={(e) => { void loadDestinations(Array.from(e.target.files ?? [])); e.target.value = ''; }} />
        </label>
        <AddLogsButton controls={traffic} />
        {/* One toggle, not a Graph | Matrix pair: the top bar must still fit one line at 1440 px
            with the tour button; the matrix has its own "Back to the graph". */}
        {state.matrix ? (
          <button type="button" className="btn small toggle" aria-pressed={state.centreView === 'matrix'} data-testid="show-matrix"
            title={state.centreView === 'matrix' ? 'Back to the graph' : `Show the destinations matrix (${state.matrix.fileName})`}
            onClick={() => dispatch({ kind: 'centre-view', view: state.centreView === 'matrix' ? 'graph' : 'matrix' })}>Matrix</button>
        ) : null}
        {isTraining ? (
          <button type="button" className="btn small primary" data-testid="start-tour"
            onClick={() => { dispatch({ kind: 'start-tour' }); goToLesson(0); }}>Guided tour</button>
        ) : null}
        <label className="btn small" title="Open a second snapshot and list what changed">
          Compare…
          <input type="file" accept=".json,application/json" multiple className="sr-only" data-testid="compare-input"
            onChange={(e) => { void compareWith(Array.from(e.target.files ?? [])); e.target.value = ''; }} />
        </label>
        {/* Focus leaving the button and its menu (Tab from the button with the menu opened by the
            mouse, a click or a screen reader jump elsewhere) closes the menu: an open menu left
            behind would let a later Esc, wherever the user is by then, pull the focus back here. */}
        <div className="group" style={{ position: 'relative' }} ref={exportRef}
          onBlur={(e) => {
            const next = e.relatedTarget;
            if (next instanceof Node && exportRef.current?.contains(next)) return;
            // The window itself lost the focus (another application): the focus comes back here.
            if (next === null && !document.hasFocus()) return;
            setExportOpen(false);
          }}>
          <button type="button" className="btn small" aria-expanded={exportOpen} aria-haspopup="menu" aria-controls="export-menu-list" ref={exportButtonRef}
            onClick={() => setExportOpen(!exportOpen)} onKeyDown={onExportButtonKey} data-testid="export-menu">Export ▾</button>
          {exportOpen ? (
            // A chosen item closes the menu and gives the focus back to its button (the item is unmounted).
            // tabIndex -1: a press on a disabled item focuses the menu, not the page, so the menu stays open.
            <div className="menu" role="menu" id="export-menu-list" aria-label="Export" style={{ minWidth: 300 }} ref={exportMenuRef} onKeyDown={onExportMenuKey}
              tabIndex={-1}
              onClick={() => { setExportOpen(false); exportButtonRef.current?.focus(); }}>
              <button type="button" role="menuitem" tabIndex={-1} onClick={exportPng} data-testid="export-png">Graph as PNG</button>
              <button type="button" role="menuitem" tabIndex={-1} onClick={exportSvg} data-testid="export-svg">Graph as SVG</button>
              <button type="button" role="menuitem" tabIndex={-1} onClick={exportJson} data-testid="export-json">Paths as JSON</button>
              <button type="button" role="menuitem" tabIndex={-1} onClick={() => void saveSnapshot()} data-testid="save-snapshot">Save snapshot</button>
              <button type="button" role="menuitem" tabIndex={-1} onClick={() => void exportEvidence(false)} data-testid="export-pdf">Evidence PDF (whole estate)</button>
              <button type="button" role="menuitem" tabIndex={-1} disabled={state.selectedSourceId === null} onClick={() => void exportEvidence(true)}>Evidence PDF (selection)</button>
              {[false, true].map((selectionOnly) => DIAGRAM_FORMATS.map(({ format, label }) => (
                <button key={`${format}-${String(selectionOnly)}`} type="button" role="menuitem" tabIndex={-1} disabled={selectionOnly && state.selectedSourceId === null}
                  onClick={() => void exportDiagram(format, selectionOnly)} data-testid={`export-diagram-${format}${selectionOnly ? '-selection' : ''}`}>
                  Diagram: {label} ({selectionOnly ? 'selection' : 'whole estate'})
                </button>
              )))}
            </div>
          ) : null}
        </div>
      </header>
      <section className="banners" aria-label="Notices">
        {/* Always mounted, so aria-describedby always finds it; hidden (not removed) when not shown.
            Never at the same time as the validation error, which lists the forms itself. */}
        <div id="what-if-hint" className="banner what-if-hint" data-testid="what-if-hint" hidden={!whatIfHintShown}>{WHAT_IF_HINT}</div>
        {destinationError ? <div className="banner error" role="alert" data-testid="what-if-error">{destinationError}</div> : null}
        {state.error ? <ErrorBanner error={state.error} onDismiss={() => dispatch({ kind: 'dismiss-error' })} /> : null}
        {state.busy ? <div className="banner info" role="status">{state.busy}</div> : null}
        {notice !== null ? (
          <div className="banner gaps" role="status" data-testid="estate-notice">
            <span className="grow">{notice}</span>
            {onDismissNotice ? <button type="button" className="btn small ghost" onClick={onDismissNotice} aria-label="Dismiss the notice">✕</button> : null}
          </div>
        ) : null}
        {exportWarning !== null ? (
          <div className="banner gaps" role="status" data-testid="export-warning">
            <span className="grow">{exportWarning}</span>
            <button type="button" className="btn small ghost" onClick={() => setExportWarning(null)} aria-label="Dismiss the export warning">✕</button>
          </div>
        ) : null}
        <TrafficBanner controls={traffic} />
        {state.destination !== null ? (
          <div className="banner info" data-testid="what-if-banner">
            <span className="grow">What-if: every path resolved for <strong>{result.destinationInfo?.label ?? state.destination}</strong>
              {result.destinationInfo ? <span data-testid="what-if-interpretation"> · {result.destinationInfo.interpretation}</span> : null}.
              {whatIfPrivateNote(result) !== null ? <span className="what-if-note" data-testid="what-if-private">{whatIfPrivateNote(result)}</span> : null}</span>
            <button type="button" className="btn small" onClick={() => { setDestinationText(''); void (async () => {
              const r = await api.resolve({ estateId, destination: null });
              if (r.ok) dispatch({ kind: 'resolved', destination: null, result: r.value }); else dispatch({ kind: 'failed', error: r.error });
            })(); }}>Back to 0.0.0.0/0</button>
          </div>
        ) : null}
        {gaps.length > 0 ? (
          <div className="banner gaps" data-testid="gaps-banner">
            <div className="grow">
              <button type="button" className="btn small ghost" aria-expanded={gapsOpen} onClick={() => setGapsOpen(!gapsOpen)}>
                {gapsOpen ? '▾' : '▸'} {gaps.length} gap{gaps.length === 1 ? '' : 's'} in this snapshot: some things could not be seen or modelled
              </button>
              {gapsOpen ? (
                <ul>
                  {gaps.map((g, i) => (
                    <li key={`${g.code}-${g.scope}-${i}`}><strong>{g.code}</strong>{g.count !== undefined ? ` ×${g.count}` : ''}: {g.message} <span className="mono">{g.scope}</span></li>
                  ))}
                </ul>
              ) : null}
            </div>
          </div>
        ) : null}
        {state.compare ? <CompareBanner compare={state.compare} dispatch={dispatch}
          shown={{ title: estate.summary.title, capturedAt: estate.snapshot.metadata.capturedAt }} /> : null}
        {state.compareClosed ? (
          // The rows were computed for the previous destination: keeping them would mark sources on a graph they do not describe.
          <div className="banner info" data-testid="compare-closed">
            <span className="grow">
              The comparison with {state.compareClosed.title} was closed: it was made for {state.compareClosed.destination ?? 'the default route (0.0.0.0/0)'},
              and the graph now shows {state.destination ?? 'the default route (0.0.0.0/0)'}. Use Compare… again to compare for this destination.
            </span>
            <button type="button" className="btn small ghost" onClick={() => dispatch({ kind: 'close-compare' })} aria-label="Dismiss">✕</button>
          </div>
        ) : null}
      </section>
      <main className="main">
        <SourceList state={state} list={list} dispatch={dispatch} violatingSourceIds={violating} sidebarRef={sidebarRef}
          header={(
            <>
              {bandFilter ? (
                <div className="band-chip" data-testid="band-chip" title={bandFilter.label}>
                  <span className="grow">Filtered by band {bandFilter.label}</span>
                  <button type="button" className="btn small ghost" aria-label="Clear the band filter" data-testid="band-chip-clear"
                    onClick={() => setBandFilter(null)}>×</button>
                </div>
              ) : null}
              <ObservedSources controls={traffic} result={result} selectedSourceId={state.selectedSourceId}
                onSelect={(sourceId) => dispatch({ kind: 'select-source', sourceId })}
                squeezed={sidebarFit.observedSqueezed} onUnsqueeze={sidebarFit.unsqueeze} />
              {policy ? <ControlsPanel policy={policy} selectedControlId={selectedControlId} selectedSourceId={state.selectedSourceId} dispatch={dispatch}
                squeezed={sidebarFit.controlsSqueezed} onUnsqueeze={sidebarFit.unsqueeze} /> : null}
            </>
          )} />
        <GraphPane model={estate.snapshot.model} result={result} mode={state.viewMode} theme={theme}
          selectedSourceId={state.selectedSourceId} changedSourceIds={changed} violatingSourceIds={violating}
          visibleSourceIds={search !== '' || badgeFilter.length > 0 || severityFilter.length > 0 ? list.visibleSourceIds : null}
          focusRequest={state.focusRequest} animate={state.tour !== null}
          onTapNode={onTapNode} onTapBackground={onTapBackground} onCanvas={onCanvas}
          trafficMarks={trafficMarksFor} trafficLegend={<TrafficLegend controls={traffic} />} />
        {flowShown ? (
          <FlowOverview overview={flow} grouping={grouping} onGrouping={setGrouping} theme={theme}
            activeBandId={bandFilter?.bandId ?? null} onBand={pickBand} />
        ) : null}
        <DetailsPanel path={path} destination={result.destination} details={nodeDetails} tour={tour} estateFindings={result.findings}
          reach={path ? reach : null} model={estate.snapshot.model}
          observed={<ObservedTraffic controls={traffic} sourceId={state.selectedSourceId} />} />
        {/* The matrix lies over the graph and the explanation rather than replacing them: the graph
            keeps its layout and viewport, so going back is instant, and the matrix gets the width
            of both (columns are destinations; at 1440 px the graph's width alone shows three). */}
        {state.matrix && state.centreView === 'matrix' ? (
          <MatrixView model={estate.snapshot.model} matrix={state.matrix} selectedSourceId={state.selectedSourceId}
            onPick={(sourceId, destination) => void pickMatrixCell(sourceId, destination)}
            onBack={() => dispatch({ kind: 'centre-view', view: 'graph' })}
            onClose={() => dispatch({ kind: 'close-matrix' })} />
        ) : null}
        {traffic.costOpen && traffic.traffic !== null ? (
          <CostView cost={traffic.traffic.answer.cost} selectedSourceId={state.selectedSourceId}
            onSelect={(sourceId) => { dispatch({ kind: 'select-source', sourceId }); traffic.setCostOpen(false); }}
            onClose={() => traffic.setCostOpen(false)} />
        ) : null}
      </main>
    </div>
  );
}
