/**
 * Left pane: subnets grouped by subscription and VNet, each with its verdict badge; NIC exceptions
 * nested under their subnet; search, badge and severity filters, counts; arrow keys move, Enter
 * focuses the path, Esc clears. Windowed: one flat list of fixed-height rows (list-window.ts) of
 * which only those in view plus an overscan are mounted, so a 100,000-NIC estate stays responsive.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type Dispatch, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import type { FindingSeverity } from '../../shared/egress/types';
import type { Action, AppState } from '../state/app-state';
import { BADGE_KINDS, badgeText, badgeTone, isPlatformBadge } from '../state/badges';
import { flattenSourceList, ROW_HEIGHT, scrollToReveal, windowRange, type ListRow } from '../state/list-window';
import type { SourceEntry, SourceList as SourceListData } from '../state/selectors';
import { testHook } from '../test-hook';
import { nameTail } from '../util';

const SEVERITIES: readonly FindingSeverity[] = ['error', 'warning', 'info'];
/** Rows mounted beyond each edge of the viewport, so a wheel tick or an arrow key never shows a gap. */
const OVERSCAN = 12;
/** Before the first layout (and in a zero-height pane): enough rows to fill a tall window. */
const FALLBACK_VIEWPORT_PX = 1200;
/** Air above the first and below the last row, inside the scrolled area. */
const PAD_TOP = 4;
const PAD_BOTTOM = 16;

interface Props {
  readonly state: AppState;
  readonly list: SourceListData;
  readonly dispatch: Dispatch<Action>;
  /** Lower-cased IDs of the selected policy control's violating sources: marked in their rows. */
  readonly violatingSourceIds?: ReadonlySet<string>;
  /** Shown above the search and filters (the Controls panel). */
  readonly header?: ReactNode;
  /** The sidebar element, for the workspace to measure whether the panels above the list fit. */
  readonly sidebarRef?: RefObject<HTMLElement | null>;
}

const NO_IDS: ReadonlySet<string> = new Set();

function markSelection(): void {
  testHook.timings.selectedAt = performance.now();
}

/**
 * Characters always shown at the end of a long name. Azure names of one workload differ at the end
 * (`vm-payments-api-weu-001-nic`, `…-002-nic`): an ellipsis at the end made such rows identical,
 * so a long name is cut in the middle instead (its start ellipsised, this tail kept). In a very
 * narrow column the tail gives way too, from its start (right-to-left box, the text kept
 * left-to-right in a <bdi>): the last characters are the last to go.
 */
const NAME_TAIL = 8;

function SourceName({ name, changed }: { readonly name: string; readonly changed: boolean }) {
  const note = changed ? <span className="sr-only"> (changed in the comparison)</span> : null;
  const keep = nameTail(name, NAME_TAIL);
  if (name.length <= keep + 4) return <span className="name">{name}{note}</span>;
  return (
    <span className="name split">
      <span className="head">{name.slice(0, -keep)}</span><span className="tail" dir="rtl"><bdi dir="ltr">{name.slice(-keep)}</bdi></span>{note}
    </span>
  );
}

/** Memoised: a selection re-renders two rows, not thousands. */
const Row = memo(function Row({ entry, selected, violating, onSelect, top, position, setSize }: {
  readonly entry: SourceEntry; readonly selected: boolean; readonly violating: boolean; readonly onSelect: (id: string) => void;
  readonly top: number; readonly position: number; readonly setSize: number;
}) {
  return (
    <div role="option" aria-selected={selected} data-source-id={entry.sourceId} data-testid="source-row"
      id={`source-option-${position}`} aria-posinset={position} aria-setsize={setSize}
      className={`source ${entry.type}${entry.changed ? ' changed' : ''}${violating ? ' violating' : ''}${isPlatformBadge(entry.badge.kind) ? ' platform' : ''}`}
      data-violating={violating ? 'true' : undefined}
      onClick={() => onSelect(entry.sourceId)} title={violating ? `${entry.name} (violates the selected control)` : entry.name}
      // Platform subnets stay listed, a little quieter: nothing of yours runs there.
      style={{ top, height: ROW_HEIGHT.source }}>
      <SourceName name={entry.name} changed={entry.changed} />
      <span className="addr">{entry.addresses.join(', ')}{entry.findingCount > 0 ? ` · ${entry.findingCount} finding${entry.findingCount === 1 ? '' : 's'}` : ''}</span>
      <span className={`badge tone-${entry.badge.tone}`}>{entry.badge.text}</span>
    </div>
  );
});

function Heading({ row, top }: { readonly row: Exclude<ListRow, { kind: 'source' }>; readonly top: number }) {
  switch (row.kind) {
    case 'subscription':
      return <div className="sub-heading" role="presentation" title={row.subscriptionId} style={{ top, height: ROW_HEIGHT.subscription }}>Subscription {row.subscriptionId}</div>;
    case 'vnet':
      return <div className="vnet-heading" role="presentation" title={row.virtualNetworkId} style={{ top, height: ROW_HEIGHT.vnet }}>{row.name}</div>;
    default: {
      const never: never = row;
      return never;
    }
  }
}

export function SourceList({ state, list, dispatch, violatingSourceIds = NO_IDS, header, sidebarRef }: Props) {
  const listRef = useRef<HTMLDivElement>(null);
  const select = useCallback((sourceId: string) => { markSelection(); dispatch({ kind: 'select-source', sourceId }); }, [dispatch]);
  const flat = useMemo(() => flattenSourceList(list), [list]);
  // The window follows the list's own scroll position and height; the DOM keeps scrollTop across
  // re-renders (filters, selection), these only mirror it.
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(FALLBACK_VIEWPORT_PX);

  useEffect(() => { testHook.visibleSourceIds = list.visibleSourceIds; }, [list]);

  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return undefined;
    const measure = () => { if (el.clientHeight > 0) setViewportHeight(el.clientHeight); };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A shorter list (a filter) clamps the DOM's scrollTop, sometimes without a scroll event: re-read it.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el) setScrollTop(el.scrollTop);
  }, [flat]);

  // Keep the selected row in view when the selection moves (keys, graph taps, tour): its place is
  // known without the row being mounted, so scroll there and mount it in the same frame.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (state.selectedSourceId === null || !el) return;
    const index = flat.indexBySourceId.get(state.selectedSourceId);
    if (index === undefined) return;
    const height = el.clientHeight > 0 ? el.clientHeight : viewportHeight;
    const target = scrollToReveal(flat.offsets, index, el.scrollTop - PAD_TOP, height) + PAD_TOP;
    if (Math.abs(target - el.scrollTop) >= 1) el.scrollTop = Math.max(0, target);
    setScrollTop(el.scrollTop);
    // Only a selection change scrolls (as before windowing): a filter or a resize must not drag the
    // user back to the selected row.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.selectedSourceId]);

  const range = windowRange(flat.offsets, scrollTop - PAD_TOP, viewportHeight, OVERSCAN);
  const totalHeight = flat.rows.length === 0 ? 0 : PAD_TOP + (flat.offsets[flat.rows.length] ?? 0) + PAD_BOTTOM;
  const selectedIndex = state.selectedSourceId === null ? undefined : flat.indexBySourceId.get(state.selectedSourceId);
  const selectedRow = selectedIndex === undefined ? undefined : flat.rows[selectedIndex];
  const activeDescendant = selectedRow?.kind === 'source' && selectedIndex !== undefined && selectedIndex >= range.start && selectedIndex < range.end
    ? `source-option-${selectedRow.position}` : undefined;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        e.preventDefault();
        markSelection();
        dispatch({ kind: 'move-selection', delta: e.key === 'ArrowDown' ? 1 : -1, visibleSourceIds: list.visibleSourceIds });
        break;
      case 'Enter':
        e.preventDefault();
        dispatch({ kind: 'focus-path' });
        break;
      case 'Escape':
        e.preventDefault();
        dispatch({ kind: 'clear' });
        break;
      default:
        break;
    }
  };

  return (
    <aside className="sidebar" aria-label="Subnets" ref={sidebarRef}>
      {header}
      <div className="controls">
        <input className="input" type="search" placeholder="Search subnets, NICs, IPs…" aria-label="Search"
          value={state.search} onChange={(e) => dispatch({ kind: 'search', text: e.target.value })} data-testid="search" />
        <div className="chips" aria-label="Filter by verdict">
          {BADGE_KINDS.filter((k) => (list.badgeCounts.get(k) ?? 0) > 0).map((k) => (
            <button type="button" key={k} className="chip" aria-pressed={state.badgeFilter.includes(k)} data-badge={k}
              onClick={() => dispatch({ kind: 'toggle-badge', badge: k })}>
              <span className={`tone-${badgeTone(k)}`} style={{ background: 'none' }}>●</span> {badgeText(k)} {list.badgeCounts.get(k)}
            </button>
          ))}
        </div>
        <div className="chips" aria-label="Filter by finding severity">
          {SEVERITIES.map((s) => (
            <button type="button" key={s} className="chip" aria-pressed={state.severityFilter.includes(s)} data-severity={s}
              onClick={() => dispatch({ kind: 'toggle-severity', severity: s })}>
              {s} {list.severityCounts.get(s) ?? 0}
            </button>
          ))}
        </div>
        <div className="counts">
          <span data-testid="source-count">{list.shownCount} of {list.totalCount} sources</span>
          {(state.search !== '' || state.badgeFilter.length > 0 || state.severityFilter.length > 0)
            ? <button type="button" className="btn small ghost" onClick={() => dispatch({ kind: 'clear-filters' })}>Clear filters</button>
            : null}
        </div>
      </div>
      <div className="source-list" role="listbox" tabIndex={0} aria-label="Egress sources" ref={listRef} onKeyDown={onKeyDown} data-testid="source-list"
        aria-activedescendant={activeDescendant} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div className="source-window" style={{ height: totalHeight }}>
          {flat.rows.slice(range.start, range.end).map((row, i) => {
            const top = PAD_TOP + (flat.offsets[range.start + i] ?? 0);
            return row.kind === 'source'
              ? <Row key={row.key} entry={row.entry} selected={row.entry.sourceId === state.selectedSourceId}
                  violating={violatingSourceIds.has(row.entry.sourceId.toLowerCase())} onSelect={select}
                  top={top} position={row.position} setSize={list.shownCount} />
              : <Heading key={row.key} row={row} top={top} />;
          })}
        </div>
        {list.shownCount === 0 ? <div className="sub" style={{ padding: 12 }}>No sources match.</div> : null}
      </div>
    </aside>
  );
}
