/**
 * Left pane: subnets grouped by subscription and VNet, each with its verdict badge; NIC exceptions
 * nested under their subnet; search, badge and severity filters, counts; arrow keys move, Enter
 * focuses the path, Esc clears.
 */
import { memo, useCallback, useEffect, useRef, type Dispatch, type KeyboardEvent } from 'react';
import type { FindingSeverity } from '../../shared/egress/types';
import type { Action, AppState } from '../state/app-state';
import { BADGE_KINDS, badgeText, badgeTone, isPlatformBadge } from '../state/badges';
import type { SourceEntry, SourceList as SourceListData } from '../state/selectors';
import { testHook } from '../test-hook';

const SEVERITIES: readonly FindingSeverity[] = ['error', 'warning', 'info'];

interface Props {
  readonly state: AppState;
  readonly list: SourceListData;
  readonly dispatch: Dispatch<Action>;
}

function markSelection(): void {
  testHook.timings.selectedAt = performance.now();
}

/** Memoised: a selection re-renders two rows, not thousands. */
const Row = memo(function Row({ entry, selected, onSelect }: { readonly entry: SourceEntry; readonly selected: boolean; readonly onSelect: (id: string) => void }) {
  return (
    <div role="option" aria-selected={selected} data-source-id={entry.sourceId} data-testid="source-row"
      className={`source ${entry.type}${entry.changed ? ' changed' : ''}${isPlatformBadge(entry.badge.kind) ? ' platform' : ''}`}
      onClick={() => onSelect(entry.sourceId)} title={entry.name}
      // Platform subnets stay listed, a little quieter: nothing of yours runs there.
      style={isPlatformBadge(entry.badge.kind) ? { opacity: 0.75 } : undefined}>
      <span className="name">{entry.name}</span>
      <span className="addr">{entry.addresses.join(', ')}{entry.findingCount > 0 ? ` · ${entry.findingCount} finding${entry.findingCount === 1 ? '' : 's'}` : ''}</span>
      <span className={`badge tone-${entry.badge.tone}`}>{entry.badge.text}</span>
    </div>
  );
});

export function SourceList({ state, list, dispatch }: Props) {
  const listRef = useRef<HTMLDivElement>(null);
  const select = useCallback((sourceId: string) => { markSelection(); dispatch({ kind: 'select-source', sourceId }); }, [dispatch]);

  // Keep the selected row in view when the selection moves (keys, graph taps, tour).
  useEffect(() => {
    if (state.selectedSourceId === null) return;
    const row = listRef.current?.querySelector(`[data-source-id="${CSS.escape(state.selectedSourceId)}"]`);
    row?.scrollIntoView({ block: 'nearest' });
  }, [state.selectedSourceId]);

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
    <aside className="sidebar" aria-label="Subnets">
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
        aria-activedescendant={undefined}>
        {list.groups.map((sub) => (
          <div key={sub.subscriptionId}>
            <div className="sub-heading" title={sub.subscriptionId}>Subscription {sub.subscriptionId}</div>
            {sub.vnets.map((vnet) => (
              <div key={vnet.virtualNetworkId}>
                <div className="vnet-heading" title={vnet.virtualNetworkId}>{vnet.name}</div>
                {vnet.entries.map((entry) => (
                  <div key={entry.sourceId}>
                    <Row entry={entry} selected={entry.sourceId === state.selectedSourceId} onSelect={select} />
                    {entry.nics.map((nic) => (
                      <Row key={nic.sourceId} entry={nic} selected={nic.sourceId === state.selectedSourceId} onSelect={select} />
                    ))}
                  </div>
                ))}
              </div>
            ))}
          </div>
        ))}
        {list.shownCount === 0 ? <div className="sub" style={{ padding: 12 }}>No sources match.</div> : null}
      </div>
    </aside>
  );
}
