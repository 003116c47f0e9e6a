/**
 * Whether the sidebar panels above the source list (Observed traffic, then Controls) must be
 * collapsed for the list to keep its minimum height. CSS lets the panels shrink first, each
 * scrolling its own list, but below one row a panel is a sliver that still says ▾ open: so a panel
 * whose list cannot show its first row whole is collapsed to its header (with its count) instead,
 * Observed traffic first (that leaves Controls its room), then Controls.
 *
 * Measured in a layout effect, so a collapse lands before the paint. The decision holds for one
 * layout (the sidebar's height and what is in the panels, `layoutKey`); when that changes the
 * panels open again and are measured afresh. The sidebar's own height does not depend on what it
 * holds (a grid cell), so collapsing cannot feed back into the measurement.
 */
import { useCallback, useEffect, useLayoutEffect, useState, type RefObject } from 'react';

type Level = 0 | 1 | 2;

interface Fit {
  readonly level: Level;
  readonly key: string;
  /** The user opened a collapsed panel: no more collapsing for this layout (the sidebar scrolls). */
  readonly pinned: boolean;
}

/** Whether `list` shows its first `row` whole (lists that are absent or empty fit). */
function rowFits(list: Element | null, rowSelector: string): boolean {
  if (!(list instanceof HTMLElement)) return true;
  const row = list.querySelector<HTMLElement>(rowSelector);
  if (row === null) return true;
  return list.clientHeight + 1 >= row.offsetHeight;
}

function panelsFit(sidebar: HTMLElement): boolean {
  if (sidebar.scrollHeight > sidebar.clientHeight + 1) return false;
  return rowFits(sidebar.querySelector('.observed-list'), '.observed-source')
    && rowFits(sidebar.querySelector('.controls-list'), '.control-main');
}

export interface SidebarFit {
  readonly observedSqueezed: boolean;
  readonly controlsSqueezed: boolean;
  /** Opens the collapsed panels again at the user's request, for this layout. */
  readonly unsqueeze: () => void;
}

export function useSidebarFit(sidebarRef: RefObject<HTMLElement | null>, contentKey: string): SidebarFit {
  const [height, setHeight] = useState(0);
  useEffect(() => {
    const el = sidebarRef.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(() => setHeight(Math.round(el.clientHeight)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [sidebarRef]);
  const layoutKey = `${height}|${contentKey}`;
  const [fit, setFit] = useState<Fit>({ level: 0, key: '', pinned: false });
  const current: Fit = fit.key === layoutKey ? fit : { level: 0, key: layoutKey, pinned: false };
  // No dependencies (on purpose, hence the lint exception): the panels' own state (a panel the user collapsed, a control's details) is
  // not in the key, so every render checks again; a state update only happens to go one level up
  // (at most twice per layout), so the chain of updates is bounded.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useLayoutEffect(() => {
    const sidebar = sidebarRef.current;
    if (!sidebar || current.pinned || current.level >= 2 || panelsFit(sidebar)) return;
    setFit({ level: current.level === 0 ? 1 : 2, key: current.key, pinned: false });
  });
  const unsqueeze = useCallback(() => setFit({ level: 0, key: layoutKey, pinned: true }), [layoutKey]);
  return { observedSqueezed: current.level >= 1, controlsSqueezed: current.level >= 2, unsqueeze };
}
