/**
 * The Controls panel (top of the left column once a policy is loaded): each control of the policy
 * with its status badge, id, title and counts. Selecting a control marks its violating sources on
 * the graph and in the list and lists them here; selecting one of those selects the source (its
 * path is highlighted) and shows why it violates. Every name is user data, rendered as text.
 */
import { useState, type Dispatch } from 'react';
import type { Action, PolicyState } from '../state/app-state';
import { controlBadge, controlCounts, countsText, summaryText, violationsBySource } from '../state/controls';
import { testHook } from '../test-hook';

interface Props {
  readonly policy: PolicyState;
  readonly selectedControlId: string | null;
  readonly selectedSourceId: string | null;
  readonly dispatch: Dispatch<Action>;
  /** Collapsed by the workspace: the sidebar has no room for one whole control (see useSidebarFit). */
  readonly squeezed?: boolean;
  /** The user opens a squeezed panel: it stays open (the sidebar scrolls) until the layout changes. */
  readonly onUnsqueeze?: () => void;
}

export function ControlsPanel({ policy, selectedControlId, selectedSourceId, dispatch, squeezed = false, onUnsqueeze }: Props) {
  const [open, setOpen] = useState(true);
  const shown = open && !squeezed;
  const { result } = policy;
  return (
    <section className={`controls-panel${shown ? '' : ' collapsed'}`} aria-label="Policy controls" data-testid="controls-panel">
      <div className="controls-head">
        <button type="button" className="btn small ghost" aria-expanded={shown}
          onClick={() => { if (squeezed && open) onUnsqueeze?.(); else setOpen(!open); }}
          title={squeezed && open ? 'Collapsed to leave the source list room: click to show the controls' : open ? 'Collapse the controls' : 'Expand the controls'}>
          {shown ? '▾' : '▸'} Controls{shown ? '' : ` · ${result.controls.length}`}
        </button>
        <span className="controls-file" title={policy.fileName}>{policy.fileName}</span>
        {selectedControlId !== null ? (
          <button type="button" className="btn small ghost" data-testid="clear-control" title="Clear the marks on the graph and in the list"
            onClick={() => dispatch({ kind: 'select-control', controlId: null })}>Clear</button>
        ) : null}
        <button type="button" className="btn small ghost" aria-label="Close the policy" title="Close the policy" data-testid="close-policy"
          onClick={() => dispatch({ kind: 'close-policy' })}>✕</button>
      </div>
      <div className="controls-summary" data-testid="controls-summary">{summaryText(result)}</div>
      {shown ? (
        <ul className="controls-list" data-testid="controls-list">
          {result.controls.map((control) => {
            const badge = controlBadge(control);
            const counts = controlCounts(control);
            const selected = control.id === selectedControlId;
            return (
              <li key={control.id} className={`control${selected ? ' selected' : ''}`} data-testid="control" data-control-id={control.id}
                data-status={control.status} data-effect={control.effect}>
                <button type="button" className="control-main" aria-pressed={selected}
                  title={selected ? 'Clear the marks' : 'Mark its violating sources on the graph and in the list'}
                  onClick={() => dispatch({ kind: 'select-control', controlId: control.id })}>
                  <span className={`badge tone-${badge.tone}`} data-testid="control-status">{badge.text}</span>
                  <span className="control-text">
                    <span className="control-id">{control.id}</span>
                    <span className="control-title">{control.title}</span>
                    <span className="control-counts" data-testid="control-counts">{countsText(counts)}</span>
                  </span>
                </button>
                {selected ? <ControlDetail control={control} selectedSourceId={selectedSourceId} dispatch={dispatch} /> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}

function ControlDetail({ control, selectedSourceId, dispatch }: {
  readonly control: PolicyState['result']['controls'][number];
  readonly selectedSourceId: string | null;
  readonly dispatch: Dispatch<Action>;
}) {
  const sources = violationsBySource(control);
  const selectedKey = selectedSourceId?.toLowerCase() ?? null;
  return (
    <div className="control-detail">
      {sources.length > 0 ? <div className="violations-hint">Marked ✕ in the list and red on the graph; pick one for why.</div> : null}
      {sources.length > 0 ? (
        <ul className="violations" aria-label="Violations">
          {sources.map((s) => {
            const selected = s.sourceId.toLowerCase() === selectedKey;
            return (
              <li key={s.sourceId} className={`violation${selected ? ' selected' : ''}`} data-testid="violation" data-source-id={s.sourceId}>
                <button type="button" aria-pressed={selected} title={s.sourceId}
                  onClick={() => {
                    testHook.timings.selectedAt = performance.now();
                    dispatch({ kind: 'select-source', sourceId: s.sourceId });
                  }}>
                  <span className="violation-name">{s.name}</span>
                  <span className="violation-kind">{s.type === 'nic' ? 'NIC · ' : ''}{[...new Set(s.violations.map((v) => v.requirement))].join(', ')}</span>
                </button>
                {selected ? (
                  <ul className="violation-reasons" data-testid="violation-reasons">
                    {s.violations.map((v, i) => <li key={`${v.requirement}-${v.subject ?? ''}-${i}`}>{v.reason}</li>)}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : <div className="sub">No violations.</div>}
      {control.exceptionsApplied.length > 0 ? (
        <ul className="control-notes" aria-label="Exceptions applied">
          {control.exceptionsApplied.map((e, i) => (
            <li key={`${e.source.id}-${i}`}>Waived for {e.source.name}: {e.exception.reason}{e.exception.ticket !== null ? ` (${e.exception.ticket})` : ''}, until {e.exception.expires}</li>
          ))}
        </ul>
      ) : null}
      {control.exceptionsExpired.length > 0 || control.notes.length > 0 ? (
        <ul className="control-notes" aria-label="Notes">
          {control.exceptionsExpired.map((e, i) => <li key={`expired-${i}`} className="expired">{e.message}</li>)}
          {control.notes.map((n, i) => <li key={`note-${i}`}>{n}</li>)}
        </ul>
      ) : null}
    </div>
  );
}
