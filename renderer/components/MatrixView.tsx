/**
 * Centre pane, over the graph: the destinations matrix. Rows are the sources grouped like the
 * source list, columns the destinations of the loaded list; each cell names the engine's verdict
 * with the list's badge (label and colour, never colour alone). A cell click runs the what-if for
 * its destination and shows that source's path on the graph. All text nodes.
 */
import { Fragment, useMemo } from 'react';
import type { NetworkModel } from '../../shared/model/topology';
import type { MatrixState } from '../state/app-state';
import { buildMatrixView } from '../state/reach-matrix';

interface Props {
  readonly model: NetworkModel;
  readonly matrix: MatrixState;
  readonly selectedSourceId: string | null;
  readonly onPick: (sourceId: string, destination: string) => void;
  readonly onBack: () => void;
  readonly onClose: () => void;
}

export function MatrixView({ model, matrix, selectedSourceId, onPick, onBack, onClose }: Props) {
  const view = useMemo(() => buildMatrixView(model, matrix.result), [model, matrix]);
  const span = view.columns.length + 1;
  const gaps = matrix.result.gaps;
  const selected = selectedSourceId?.toLowerCase() ?? null;
  return (
    <section className="matrix-pane" aria-label="Destinations matrix" data-testid="matrix-view">
      <div className="matrix-head">
        <button type="button" className="btn small" onClick={onBack} data-testid="matrix-back">← Back to the graph</button>
        <div className="grow">
          <strong>Destinations matrix</strong>
          <span className="sub"> · {matrix.fileName} · {view.rowCount} source{view.rowCount === 1 ? '' : 's'} × {view.columns.length} destination{view.columns.length === 1 ? '' : 's'} · click a cell to see that path</span>
          {gaps.length > 0 ? (
            <details className="matrix-gaps">
              <summary>{gaps.length} gap{gaps.length === 1 ? '' : 's'}: some answers could not be fully modelled</summary>
              <ul>{gaps.map((g, i) => <li key={`${g.code}-${i}`}><strong>{g.code}</strong>: {g.message}</li>)}</ul>
            </details>
          ) : null}
        </div>
        <button type="button" className="btn small ghost" onClick={onClose} aria-label="Close the matrix" title="Close the matrix">✕</button>
      </div>
      <div className="matrix-scroll">
        <table className="matrix">
          <thead>
            <tr>
              <th className="matrix-corner" scope="col">Source</th>
              {view.columns.map((c, i) => (
                <th key={`${c.destination}-${i}`} scope="col" title={c.interpretation} data-testid="matrix-column">
                  <div className="matrix-col-label">{c.label ?? c.destination}</div>
                  {c.label !== null ? <div className="matrix-col-dest mono">{c.destination}</div> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.groups.map((s) => (
              <Fragment key={s.subscriptionId}>
                <tr className="matrix-subscription"><th colSpan={span} scope="rowgroup">Subscription {s.subscriptionId}</th></tr>
                {s.vnets.map((v) => (
                  <Fragment key={v.virtualNetworkId}>
                    <tr className="matrix-vnet"><th colSpan={span} scope="rowgroup" title={v.virtualNetworkId}>{v.name}</th></tr>
                    {v.rows.map((r) => (
                      <tr key={r.source.id} data-testid="matrix-row" data-source-id={r.source.id}
                        className={r.source.id.toLowerCase() === selected ? 'selected' : undefined}>
                        <th scope="row" className={r.nested ? 'nested' : undefined} title={r.source.id}>
                          <span className="matrix-source">{r.source.name}</span>
                          {r.source.role !== undefined && r.source.role !== 'workload' ? <span className="matrix-tag">platform</span> : null}
                          {r.source.type === 'nic' ? <span className="matrix-tag">NIC</span> : null}
                        </th>
                        {r.cells.map((c, i) => (
                          <td key={`${c.destination}-${i}`}>
                            <button type="button" className={`matrix-cell tone-${c.badge.tone}`} data-testid="matrix-cell"
                              data-source-id={r.source.id} data-destination={c.destination} data-verdict={c.cell.verdict}
                              title={`${r.source.name} → ${c.destination}: ${c.badge.text}${c.cell.egressIps.length > 0 ? ` (from ${c.cell.egressIps.join(', ')})` : ''}`}
                              aria-label={`${c.badge.text}: ${r.source.name} to ${c.destination}`}
                              onClick={() => onPick(r.source.id, c.destination)}>
                              {c.badge.text}
                            </button>
                          </td>
                        ))}
                      </tr>
                    ))}
                  </Fragment>
                ))}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
