/**
 * The start screen: demo estates, snapshot / ARM files (picker and drag-and-drop), recent files and
 * "Connect to Azure" (a live pull, or the bundled fake Azure).
 */
import { useEffect, useState, type Dispatch, type DragEvent } from 'react';
import type { DemoInfo, EgressAtlasApi, IpcError, LoadProgress, RecentEntry } from '../../shared/ipc/contract';
import type { Action } from '../state/app-state';
import { readFilesAsText } from '../util';
import type { OpenEstate } from './App';
import { ErrorBanner } from './ErrorBanner';
import { PullPanel } from './PullPanel';

interface Props {
  readonly api: EgressAtlasApi;
  readonly busy: string | null;
  readonly error: IpcError | null;
  readonly dispatch: Dispatch<Action>;
  readonly openEstate: OpenEstate;
  /** A main-side load in progress (bytes read, resources, sources resolved). */
  readonly loadProgress?: LoadProgress | null;
  /** Desktop app: the main side's Open dialog reads the files (no upload). Absent: the page's file picker. */
  readonly onOpenDialog?: () => void;
}

/** A main-side load's progress in words: `Reading 12.5 of 125.0 MB (tenant.json)`. */
export function describeLoadProgress(progress: LoadProgress): string {
  const mb = (n: number): string => (n / (1024 * 1024)).toFixed(1);
  switch (progress.stage) {
    case 'reading': return `Reading ${mb(progress.bytesRead)} of ${mb(progress.totalBytes)} MB (${progress.file})`;
    case 'building': return `Read ${mb(progress.bytesRead)} MB; parsing and building the model…`;
    case 'built': return `${progress.resources.toLocaleString('en-US')} resources (${progress.subnets.toLocaleString('en-US')} subnets, ${progress.networkInterfaces.toLocaleString('en-US')} NICs); resolving every path…`;
    case 'resolved': return `${progress.sources.toLocaleString('en-US')} sources resolved; drawing the overview…`;
  }
}

export function StartScreen({ api, busy, error, dispatch, openEstate, loadProgress = null, onOpenDialog }: Props) {
  // null until the main side answers: "no demos" is only said once it has.
  const [demos, setDemos] = useState<readonly DemoInfo[] | null>(null);
  const [recent, setRecent] = useState<readonly RecentEntry[]>([]);
  const [dragOver, setDragOver] = useState(false);

  useEffect(() => {
    let live = true;
    void api.listDemos({}).then((r) => { if (live) setDemos(r.ok ? r.value : []); });
    void api.listRecent({}).then((r) => { if (live && r.ok) setRecent(r.value); });
    return () => { live = false; };
  }, [api]);

  const importFiles = async (files: readonly File[]) => {
    if (files.length === 0) return;
    const texts = await readFilesAsText(files);
    await openEstate(`Reading ${files.length === 1 ? files[0]?.name ?? 'file' : `${files.length} files`}…`, () => api.importFiles({ files: texts }));
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragOver(false);
    void importFiles(Array.from(e.dataTransfer.files));
  };

  return (
    <main className="start">
      <h1>Egress Atlas</h1>
      <p className="lede">Where does each Azure subnet reach the internet, through what, from which public IPs, and why.</p>
      {error ? <ErrorBanner error={error} onDismiss={() => dispatch({ kind: 'dismiss-error' })} /> : null}
      {busy ? (
        <div className="banner info" role="status">
          <div className="grow">
            {busy}
            {loadProgress ? (
              <div className="load-progress" data-testid="load-progress">
                {describeLoadProgress(loadProgress)}
                {loadProgress.stage === 'reading' ? (
                  <progress max={loadProgress.totalBytes} value={loadProgress.bytesRead} aria-label="Bytes read" style={{ display: 'block', width: 320, marginTop: 4 }} />
                ) : null}
              </div>
            ) : null}
          </div>
        </div>
      ) : null}

      <h2>Demo estates</h2>
      <div className="cards" aria-busy={demos === null}>
        {(demos ?? []).map((d) => (
          <button type="button" key={d.name} className="card" data-demo={d.name}
            onClick={() => void openEstate(`Opening ${d.title}…`, () => api.openDemo({ name: d.name }))}>
            <span className="title">{d.title}</span>
            <span className="desc">{d.description}</span>
          </button>
        ))}
        {demos === null ? <div className="desc">Loading demo estates…</div> : null}
        {demos?.length === 0 ? <div className="desc">No demo estates available.</div> : null}
      </div>

      <h2>Open files</h2>
      <div className={`dropzone${dragOver ? ' over' : ''}`} data-testid="dropzone"
        // Cancelling dragenter is what makes the zone a drop target (HTML drag-and-drop processing model).
        onDragEnter={(e) => { e.preventDefault(); setDragOver(true); }}
        onDragOver={(e) => { e.preventDefault(); setDragOver(true); }}
        onDragLeave={() => setDragOver(false)}
        onDrop={onDrop}>
        <div>Drop an Egress Atlas snapshot, ARM template export or <code>az … -o json</code> output here.</div>
        <div className="row">
          {onOpenDialog ? (
            <button type="button" className="btn primary" data-testid="open-dialog" onClick={onOpenDialog}>Choose files…</button>
          ) : (
            <label className="btn primary">
              Choose files…
              <input type="file" accept=".json,application/json" multiple className="sr-only" data-testid="file-input"
                onChange={(e) => { void importFiles(Array.from(e.target.files ?? [])); e.target.value = ''; }} />
            </label>
          )}
        </div>
      </div>

      {recent.length > 0 ? (
        <>
          <h2>Recent</h2>
          <ul className="recent">
            {recent.map((r) => (
              <li key={r.id}>
                <button type="button" className="btn small" aria-label={`Open ${r.title}`}
                  onClick={() => void openEstate(`Opening ${r.title}…`, () => api.openRecent({ id: r.id }))}>Open</button>
                <span>{r.title}</span>
                <span className="when">{r.kind} · {new Date(r.openedAt).toLocaleString()}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>Connect to Azure</h2>
      <PullPanel api={api} dispatch={dispatch} openEstate={openEstate} />
    </main>
  );
}
