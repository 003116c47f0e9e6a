/** "Connect to Azure": start a pull, poll its progress, cancel it. The pull runs on the main side. */
import { useEffect, useRef, useState, type Dispatch } from 'react';
import type { EgressAtlasApi, PullProgress } from '../../shared/ipc/contract';
import type { Action } from '../state/app-state';
import type { OpenEstate } from './App';

const POLL_MS = 500;

function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

interface Props {
  readonly api: EgressAtlasApi;
  readonly dispatch: Dispatch<Action>;
  readonly openEstate: OpenEstate;
}

export function PullPanel({ api, dispatch, openEstate }: Props) {
  const [tenantId, setTenantId] = useState('');
  const [subscriptions, setSubscriptions] = useState('');
  const [demoAzure, setDemoAzure] = useState(true);
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<PullProgress | null>(null);
  const timer = useRef<number | null>(null);

  // The job this panel is following; read on unmount, after the last render's state is gone.
  const runningJob = useRef<string | null>(null);

  useEffect(() => () => { if (timer.current !== null) window.clearTimeout(timer.current); }, []);

  useEffect(() => { runningJob.current = jobId; }, [jobId]);
  // The progress block appears below the fold on a short window: bring it (and Cancel) into view
  // once per pull, without moving the page again on every update.
  const progressBlock = useRef<HTMLDivElement>(null);
  const hasProgress = progress !== null;
  useEffect(() => {
    if (jobId !== null && hasProgress) progressBlock.current?.scrollIntoView({ block: 'nearest' });
  }, [jobId, hasProgress]);
  // Leaving the start screen while a pull runs (a demo or a file opened meanwhile) abandons it:
  // nothing would show its progress or offer Cancel any more, and its estate would never open.
  // Cancelling a job that has just finished is a no-op on the main side.
  useEffect(() => () => {
    const id = runningJob.current;
    if (id !== null) void api.cancelPull({ jobId: id });
  }, [api]);

  useEffect(() => {
    if (jobId === null) return;
    let live = true;
    const poll = async () => {
      const status = await api.pullStatus({ jobId });
      if (!live) return;
      if (!status.ok) { dispatch({ kind: 'failed', error: status.error }); setJobId(null); return; }
      setProgress(status.value.progress);
      const phase = status.value.progress.phase;
      if (phase === 'done' && status.value.estate) {
        const estate = status.value.estate;
        setJobId(null);
        // The estate opens at once and this panel goes with the start screen: its notice (the
        // recent list kept no copy) travels with the estate to the workspace, or nobody sees it.
        await openEstate('Resolving the pulled estate…', async () => ({ ok: true, value: estate }), undefined, status.value.notice);
        return;
      }
      if (phase === 'failed' || phase === 'cancelled') {
        if (status.value.error) dispatch({ kind: 'failed', error: status.value.error });
        setJobId(null);
        return;
      }
      timer.current = window.setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => { live = false; if (timer.current !== null) window.clearTimeout(timer.current); };
  }, [api, dispatch, jobId, openEstate]);

  const start = async () => {
    setProgress(null);
    const r = await api.startPull({
      cloud: 'AzurePublicCloud',
      tenantId: tenantId.trim() === '' ? null : tenantId.trim(),
      subscriptionIds: subscriptions.split(/[\s,]+/).filter((s) => s !== ''),
      effectiveRoutes: 'sample',
      metrics: false,
      demoAzure,
    });
    if (!r.ok) { dispatch({ kind: 'failed', error: r.error }); return; }
    setJobId(r.value.jobId);
  };

  const cancel = async () => {
    if (jobId === null) return;
    const r = await api.cancelPull({ jobId });
    if (!r.ok) dispatch({ kind: 'failed', error: r.error });
  };

  const percent = progress && progress.total ? Math.min(100, Math.round((progress.completed / progress.total) * 100)) : null;
  return (
    <div className="pull">
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
        <input className="input" placeholder="Tenant ID (optional)" value={tenantId} onChange={(e) => setTenantId(e.target.value)} disabled={jobId !== null} />
        <input className="input" placeholder="Subscription IDs (optional, comma separated)" style={{ flex: '1 1 360px', minWidth: 0 }} value={subscriptions}
          onChange={(e) => setSubscriptions(e.target.value)} disabled={jobId !== null} />
        <label style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
          <input type="checkbox" checked={demoAzure} onChange={(e) => setDemoAzure(e.target.checked)} disabled={jobId !== null} />
          Demo Azure (no account needed)
        </label>
        {jobId === null
          ? <button type="button" className="btn primary" onClick={() => void start()}>Connect</button>
          : <button type="button" className="btn" onClick={() => void cancel()}>Cancel</button>}
      </div>
      {progress ? (
        <div data-testid="pull-progress" ref={progressBlock} aria-live="polite">
          <div className="progress"><div style={{ width: `${percent ?? 5}%` }} /></div>
          <div className="stats">
            <span>Phase <b>{progress.phase}</b></span>
            <span>Resources <b>{progress.resourcesFound}</b></span>
            <span>Requests <b>{progress.requestsMade}</b></span>
            <span>Throttled <b>{formatMs(progress.throttleWaitMs)}</b></span>
            <span>ETA <b>{progress.etaMs === null && jobId !== null ? 'estimating…' : formatMs(progress.etaMs)}</b></span>
          </div>
          {progress.message !== '' ? <div className="sub" style={{ marginTop: 6 }}>{progress.message}</div> : null}
          {progress.gaps.length > 0 ? <div className="sub">{progress.gaps.length} gap(s) so far</div> : null}
        </div>
      ) : null}
    </div>
  );
}
