/**
 * The renderer's state and its one reducer: `perform(state, action) → state`. Pure, no DOM, no
 * cytoscape: the components dispatch actions, the graph view reads selectors.
 */
import type { MatrixResult } from '../../shared/egress/matrix';
import type { FindingSeverity, ResolveResult } from '../../shared/egress/types';
import type { IpcError, OpenedEstate } from '../../shared/ipc/contract';
import type { CheckResult } from '../../shared/policy/types';
import type { BadgeKind } from './badges';

interface SourceChangeRow {
  readonly sourceId: string;
  readonly name: string;
  /**
   * What the shown snapshot (`was`) and the compared one (`now`) say: badge text, or for a NIC with
   * no entry of its own there, its subnet's ("Follows subnet app: …"). `null` = not in that
   * snapshot; a `not-captured` row says instead why that snapshot could not have seen it.
   */
  readonly was: string | null;
  readonly now: string | null;
  /**
   * The source in the shown snapshot the row is marked on and selects, when not `sourceId`: a NIC
   * with no entry of its own there is listed and drawn only as the subnet it follows.
   */
  readonly shownSourceId?: string;
}

/**
 * One subnet / NIC that differs between the compared snapshots (`compareResults` in shared/egress):
 * - `changed`: both answer, differently (`difference` says how: the badge can read the same on
 *   both sides, e.g. a default-outbound finding going from info to warning);
 * - `absent`: in one snapshot only (added or removed, depending on which is the newer);
 * - `not-compared`: Unknown in one snapshot or both: whether it changed is not known (`difference`
 *   says where, and whether the missing fact differs);
 * - `not-captured`: in one snapshot only because the other could not have seen it (a gap, or a
 *   subscription outside its scope): missing data, not a change in the network.
 */
export type SourceChange =
  | (SourceChangeRow & { readonly kind: 'changed'; readonly difference: string })
  | (SourceChangeRow & { readonly kind: 'not-compared'; readonly difference: string })
  | (SourceChangeRow & { readonly kind: 'absent' })
  | (SourceChangeRow & { readonly kind: 'not-captured' });

export type SourceChangeKind = SourceChange['kind'];

export interface CompareState {
  readonly title: string;
  readonly changes: readonly SourceChange[];
  /** When the compared snapshot was captured (ISO 8601), to say which of the two the graph shows. */
  readonly capturedAt?: string | null;
}

/**
 * A comparison closed because a what-if changed the destination: its rows were computed for the
 * previous one and would mark sources on a graph they do not describe. The banner says so.
 */
export interface ClosedCompare {
  readonly title: string;
  /** The destination the comparison was made for (`null` = the default route). */
  readonly destination: string | null;
}

export interface TourState {
  /** Index into the estate's lessons. */
  readonly step: number;
}

/** A destinations list resolved against the estate (the matrix view). */
export interface MatrixState {
  readonly fileName: string;
  readonly result: MatrixResult;
}

/** A policy file checked against the estate (the Controls panel). */
export interface PolicyState {
  readonly fileName: string;
  readonly result: CheckResult;
}

/** What the centre pane shows: the path graph, or the destinations matrix over it. */
export type CentreView = 'graph' | 'matrix';

/** `auto` = what `chooseDefaultView` picks (overview for large estates, else full). */
export type ViewMode = 'auto' | 'full' | 'overview';

export interface AppState {
  readonly estate: OpenedEstate | null;
  readonly result: ResolveResult | null;
  /** What-if destination in force (`null` = the default route 0.0.0.0/0). */
  readonly destination: string | null;
  readonly selectedSourceId: string | null;
  /** A graph node picked for its details (any resource). */
  readonly selectedNodeId: string | null;
  /** Set by Enter: the graph zooms onto the selected path. */
  readonly focusRequest: number;
  readonly search: string;
  /** Empty = show every badge kind. */
  readonly badgeFilter: readonly BadgeKind[];
  /** Empty = no severity filter; otherwise keep sources with a finding of one of these. */
  readonly severityFilter: readonly FindingSeverity[];
  readonly compare: CompareState | null;
  /** Set when a what-if closed the comparison; cleared by comparing again or dismissing it. */
  readonly compareClosed: ClosedCompare | null;
  readonly tour: TourState | null;
  readonly viewMode: ViewMode;
  readonly matrix: MatrixState | null;
  readonly centreView: CentreView;
  readonly policy: PolicyState | null;
  /** The control whose violating sources are marked on the graph and in the list. */
  readonly selectedControlId: string | null;
  /** The last error, shown as data in a banner. */
  readonly error: IpcError | null;
  /** A short label while a request runs (`Opening demo…`). */
  readonly busy: string | null;
}

export const INITIAL_STATE: AppState = {
  estate: null,
  result: null,
  destination: null,
  selectedSourceId: null,
  selectedNodeId: null,
  focusRequest: 0,
  search: '',
  badgeFilter: [],
  severityFilter: [],
  compare: null,
  compareClosed: null,
  tour: null,
  viewMode: 'auto',
  matrix: null,
  centreView: 'graph',
  policy: null,
  selectedControlId: null,
  error: null,
  busy: null,
};

export type Action =
  | { readonly kind: 'busy'; readonly label: string }
  | { readonly kind: 'idle' }
  | { readonly kind: 'failed'; readonly error: IpcError }
  | { readonly kind: 'dismiss-error' }
  | { readonly kind: 'estate-opened'; readonly estate: OpenedEstate; readonly result: ResolveResult }
  | { readonly kind: 'close-estate' }
  | { readonly kind: 'resolved'; readonly destination: string | null; readonly result: ResolveResult }
  | { readonly kind: 'select-source'; readonly sourceId: string | null }
  | { readonly kind: 'select-node'; readonly nodeId: string | null }
  | { readonly kind: 'move-selection'; readonly delta: 1 | -1; readonly visibleSourceIds: readonly string[] }
  | { readonly kind: 'focus-path' }
  | { readonly kind: 'clear' }
  | { readonly kind: 'search'; readonly text: string }
  | { readonly kind: 'toggle-badge'; readonly badge: BadgeKind }
  | { readonly kind: 'toggle-severity'; readonly severity: FindingSeverity }
  | { readonly kind: 'clear-filters' }
  | { readonly kind: 'compared'; readonly compare: CompareState }
  | { readonly kind: 'close-compare' }
  | { readonly kind: 'start-tour' }
  | { readonly kind: 'tour-step'; readonly step: number; readonly sourceId: string | null }
  | { readonly kind: 'end-tour' }
  | { readonly kind: 'view-mode'; readonly mode: ViewMode }
  | { readonly kind: 'matrix-loaded'; readonly matrix: MatrixState }
  | { readonly kind: 'centre-view'; readonly view: CentreView }
  | { readonly kind: 'close-matrix' }
  /** A matrix cell: the what-if for its destination, its source selected, back on the graph. */
  | { readonly kind: 'matrix-pick'; readonly destination: string; readonly result: ResolveResult; readonly sourceId: string | null }
  | { readonly kind: 'policy-checked'; readonly policy: PolicyState }
  /** Selecting the selected control again, or null, clears the marks. */
  | { readonly kind: 'select-control'; readonly controlId: string | null }
  | { readonly kind: 'close-policy' };

/** A new result for another destination closes the comparison (made for the previous one) and says so. */
function withDestination(state: AppState, destination: string | null): Pick<AppState, 'compare' | 'compareClosed'> {
  if (state.compare === null || destination === state.destination) return { compare: state.compare, compareClosed: state.compareClosed };
  return { compare: null, compareClosed: { title: state.compare.title, destination: state.destination } };
}

function toggle<T>(list: readonly T[], item: T): readonly T[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}

export function perform(state: AppState, action: Action): AppState {
  switch (action.kind) {
    case 'busy':
      return { ...state, busy: action.label, error: null };
    case 'idle':
      return { ...state, busy: null };
    case 'failed':
      return { ...state, busy: null, error: action.error };
    case 'dismiss-error':
      return { ...state, error: null };
    case 'estate-opened':
      return {
        ...INITIAL_STATE,
        estate: action.estate,
        result: action.result,
      };
    case 'close-estate':
      return INITIAL_STATE;
    case 'resolved':
      return { ...state, ...withDestination(state, action.destination), busy: null, error: null, destination: action.destination, result: action.result };
    case 'select-source':
      return { ...state, selectedSourceId: action.sourceId, selectedNodeId: null };
    case 'select-node':
      return { ...state, selectedNodeId: action.nodeId };
    case 'move-selection':
      return { ...state, selectedSourceId: moveSelection(state.selectedSourceId, action.visibleSourceIds, action.delta), selectedNodeId: null };
    case 'focus-path':
      return state.selectedSourceId === null ? state : { ...state, focusRequest: state.focusRequest + 1 };
    case 'clear':
      return { ...state, selectedSourceId: null, selectedNodeId: null };
    case 'search':
      return { ...state, search: action.text };
    case 'toggle-badge':
      return { ...state, badgeFilter: toggle(state.badgeFilter, action.badge) };
    case 'toggle-severity':
      return { ...state, severityFilter: toggle(state.severityFilter, action.severity) };
    case 'clear-filters':
      return { ...state, search: '', badgeFilter: [], severityFilter: [] };
    case 'compared':
      return { ...state, busy: null, compare: action.compare, compareClosed: null };
    case 'close-compare':
      return { ...state, compare: null, compareClosed: null };
    case 'start-tour':
      return { ...state, tour: { step: 0 } };
    case 'tour-step':
      return { ...state, tour: { step: action.step }, selectedSourceId: action.sourceId, selectedNodeId: null };
    case 'end-tour':
      return { ...state, tour: null };
    case 'view-mode':
      return { ...state, viewMode: action.mode };
    case 'matrix-loaded':
      return { ...state, busy: null, error: null, matrix: action.matrix, centreView: 'matrix' };
    case 'centre-view':
      return { ...state, centreView: state.matrix === null ? 'graph' : action.view };
    case 'close-matrix':
      return { ...state, matrix: null, centreView: 'graph' };
    case 'matrix-pick':
      return {
        ...state, ...withDestination(state, action.destination), busy: null, error: null, destination: action.destination, result: action.result,
        selectedSourceId: action.sourceId, selectedNodeId: null, centreView: 'graph',
      };
    case 'policy-checked': {
      // A reloaded policy keeps the selected control when it still exists.
      const keep = action.policy.result.controls.some((c) => c.id === state.selectedControlId);
      return { ...state, busy: null, error: null, policy: action.policy, selectedControlId: keep ? state.selectedControlId : null };
    }
    case 'select-control':
      return {
        ...state,
        selectedControlId: action.controlId === null || action.controlId === state.selectedControlId
          || !state.policy?.result.controls.some((c) => c.id === action.controlId) ? null : action.controlId,
      };
    case 'close-policy':
      return { ...state, policy: null, selectedControlId: null };
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** Arrow keys: next / previous visible source, wrapping; starts at the first (or last) one. */
export function moveSelection(current: string | null, visible: readonly string[], delta: 1 | -1): string | null {
  if (visible.length === 0) return null;
  const at = current === null ? -1 : visible.indexOf(current);
  if (at < 0) return delta === 1 ? (visible[0] ?? null) : (visible[visible.length - 1] ?? null);
  const next = (at + delta + visible.length) % visible.length;
  return visible[next] ?? null;
}
