/**
 * The comparison banner: which snapshot the graph and the list show (the one opened first; the
 * compared one only feeds the table), newer or older, and the changed sources, each a button-row
 * that selects it. Changed sources are also marked in the list (a bar and ●) and on the graph
 * (a double border, dashed edges). Sources one snapshot could not see (a gap, or a subscription
 * outside its scope) are listed after them as "not captured" and never marked as changed.
 */
import type { Dispatch } from 'react';
import type { Action, CompareState, SourceChange } from '../state/app-state';
import { compareHeadline, networkChanges, notCapturedCount, unknownChangeCount, type SnapshotRef } from '../state/compare';
import { assertNever } from '../../shared/model/assert';

/** The last column: how the row differs, read left (shown) to right (compared). */
function differenceText(c: SourceChange): string {
  switch (c.kind) {
    case 'changed': return c.difference;
    case 'absent': return c.was === null ? 'Only in the compared snapshot' : 'Only in the shown snapshot';
    case 'not-captured': return 'Not captured in one snapshot: not a change in the network';
    default: return assertNever(c);
  }
}

export function CompareBanner({ compare, shown, dispatch }: {
  readonly compare: CompareState;
  readonly shown: SnapshotRef;
  readonly dispatch: Dispatch<Action>;
}) {
  const other: SnapshotRef = { title: compare.title, capturedAt: compare.capturedAt ?? null };
  const changed = networkChanges(compare.changes).length;
  const notCaptured = notCapturedCount(compare.changes);
  const unknown = unknownChangeCount(compare.changes);
  return (
    <div className="banner info" data-testid="compare-banner">
      <div className="grow">
        <strong data-testid="compare-showing">{compareHeadline(shown, other, changed, notCaptured)}</strong>
        <span> · changed sources are marked ● in the list and with a double border on the graph.</span>
        {unknown > 0 ? (
          // Internet → Unknown usually means the other input lacks a fact (captured routes, a resource),
          // not that egress changed: say so before the table is read as a list of regressions.
          <div className="compare-note" data-testid="compare-unknown-note">
            {unknown === changed ? (unknown === 1 ? 'This one is' : `All ${unknown} are`) : `${unknown} of them are`} Unknown
            in one snapshot: a fact needed to decide is missing there, which by itself is not a change in the network.
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
                {compare.changes.map((c) => (
                  <tr key={c.sourceId} data-testid="compare-row" data-kind={c.kind} className={c.kind === 'not-captured' ? 'not-captured' : undefined}
                    style={{ cursor: 'pointer' }} onClick={() => dispatch({ kind: 'select-source', sourceId: c.sourceId })}>
                    {/* A button in the first cell: keyboard users select the source as a click does. */}
                    <td><button type="button" className="link-button" onClick={(e) => { e.stopPropagation(); dispatch({ kind: 'select-source', sourceId: c.sourceId }); }}>{c.name}</button></td>
                    <td>{c.was ?? '(absent)'}</td><td>{c.now ?? '(absent)'}</td><td>{differenceText(c)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
      <button type="button" className="btn small ghost" onClick={() => dispatch({ kind: 'close-compare' })} aria-label="Close comparison">✕</button>
    </div>
  );
}
