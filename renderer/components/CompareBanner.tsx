/**
 * The comparison banner: which snapshot the graph and the list show (the one opened first; the
 * compared one only feeds the table), newer or older, and the changed sources, each a button-row
 * that selects it. Changed sources are also marked in the list (a bar and ●) and on the graph
 * (a double border, dashed edges). Sources Unknown in a snapshot ("could not compare") and
 * sources one snapshot could not see (a gap, or a subscription outside its scope: "not captured")
 * are listed after them and never marked as changed. The table shows the first MAX_ROWS rows: a
 * comparison of two large estates can have 100,000, which would stall the page.
 */
import type { Dispatch } from 'react';
import type { Action, CompareState, SourceChange } from '../state/app-state';
import { compareHeadline, networkChanges, notCapturedCount, notComparedCount, type SnapshotRef } from '../state/compare';
import { assertNever } from '../../shared/model/assert';

/** The last column: how the row differs, read left (shown) to right (compared). */
function differenceText(c: SourceChange): string {
  switch (c.kind) {
    case 'changed':
    case 'not-compared':
      return c.difference;
    case 'absent': return c.was === null ? 'Only in the compared snapshot' : 'Only in the shown snapshot';
    case 'not-captured': return 'Not captured in one snapshot: not a change in the network';
    default: return assertNever(c);
  }
}

/** Rows the table renders; the rest are counted below it, saying which of them the list marks. */
export const MAX_ROWS = 500;

/** The line under a capped table: how many rows are not shown, and where each kind can still be found. */
export function moreRowsText(hidden: number, marked: number, onlyCompared: number): string {
  const parts = [`${marked.toLocaleString('en-US')} changed, marked ● in the list`];
  if (onlyCompared > 0) parts.push(`${onlyCompared.toLocaleString('en-US')} only in the compared snapshot, in neither the list nor the graph`);
  const rest = hidden - marked - onlyCompared;
  if (rest > 0) parts.push(`${rest.toLocaleString('en-US')} not compared or not captured (counted above)`);
  return `${hidden.toLocaleString('en-US')} more row${hidden === 1 ? '' : 's'} not shown: ${parts.join('; ')}`;
}

export function CompareBanner({ compare, shown, dispatch }: {
  readonly compare: CompareState;
  readonly shown: SnapshotRef;
  readonly dispatch: Dispatch<Action>;
}) {
  const other: SnapshotRef = { title: compare.title, capturedAt: compare.capturedAt ?? null };
  const changed = networkChanges(compare.changes).length;
  const notCaptured = notCapturedCount(compare.changes);
  const notCompared = notComparedCount(compare.changes);
  // A source only in the compared snapshot is in neither the list nor the graph, so nothing can mark
  // it: its rows go first, before the cap, and any beyond it are counted apart.
  const onlyCompared = compare.changes.filter((c) => c.kind === 'absent' && c.was === null);
  const rows = onlyCompared.length === 0 ? compare.changes : [...onlyCompared, ...compare.changes.filter((c) => !(c.kind === 'absent' && c.was === null))];
  const shownRows = rows.slice(0, MAX_ROWS);
  const hidden = rows.slice(MAX_ROWS);
  const hiddenRows = hidden.length;
  const hiddenOnlyCompared = Math.max(0, onlyCompared.length - MAX_ROWS);
  const hiddenMarked = hidden.filter((c) => c.kind === 'changed' || (c.kind === 'absent' && c.was !== null)).length;
  return (
    <div className="banner info" data-testid="compare-banner">
      <div className="grow">
        <strong data-testid="compare-showing">{compareHeadline(shown, other, changed, notCaptured, notCompared)}</strong>
        <span> · changed sources are marked ● in the list and with a double border on the graph.</span>
        {notCompared > 0 ? (
          // Internet → Unknown usually means the other input lacks a fact (captured routes, a resource),
          // not that egress changed; Unknown → Unknown says nothing either way: neither is "changed" nor "unchanged".
          <div className="compare-note" data-testid="compare-unknown-note">
            {notCompared === 1 ? '1 source' : `${notCompared} sources`} could not be compared: Unknown in one snapshot or both, because
            a fact needed to decide is missing there. Whether {notCompared === 1 ? 'its' : 'their'} egress changed is not known: not
            counted as changed or unchanged, and not marked on the graph.
          </div>
        ) : null}
        {notCaptured > 0 ? (
          // Without this a subscription one capture could not read would read as every subnet in it removed.
          <div className="compare-note" data-testid="compare-not-captured-note">
            {notCaptured === 1 ? '1 source is' : `${notCaptured} sources are`} in one snapshot only because the other could not
            have seen {notCaptured === 1 ? 'it' : 'them'} (a gap such as access denied or a skipped file, or a subscription outside
            its scope): missing data, not a change in the network, and not marked on the graph.
          </div>
        ) : null}
        {compare.changes.length > 0 ? (
          <div className="compare">
            <table>
              <thead><tr><th>Source</th><th>Shown: {shown.title}</th><th>Compared: {compare.title}</th><th>Difference (shown → compared)</th></tr></thead>
              <tbody>
                {shownRows.map((c) => {
                  // A NIC that follows its subnet in the shown snapshot is selected as that subnet, which the list and graph have.
                  const select = () => dispatch({ kind: 'select-source', sourceId: c.shownSourceId ?? c.sourceId });
                  return (
                    <tr key={c.sourceId} data-testid="compare-row" data-kind={c.kind} className={c.kind === 'not-captured' || c.kind === 'not-compared' ? 'not-captured' : undefined}
                      style={{ cursor: 'pointer' }} onClick={select}>
                      {/* A button in the first cell: keyboard users select the source as a click does. */}
                      <td><button type="button" className="link-button" onClick={(e) => { e.stopPropagation(); select(); }}>{c.name}</button></td>
                      <td>{c.was ?? '(absent)'}</td><td>{c.now ?? '(absent)'}</td><td>{differenceText(c)}</td>
                    </tr>
                  );
                })}
                {hiddenRows > 0 ? (
                  <tr data-testid="compare-more"><td colSpan={4}>{moreRowsText(hiddenRows, hiddenMarked, hiddenOnlyCompared)}</td></tr>
                ) : null}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
      <button type="button" className="btn small ghost" onClick={() => dispatch({ kind: 'close-compare' })} aria-label="Close comparison">✕</button>
    </div>
  );
}
