/**
 * Live pulls run as background jobs: `start` returns at once with a job ID, the renderer polls
 * `status` (the latest PullProgress, and the opened estate once done), `cancel` aborts the job's
 * AbortController. Finished jobs are kept (bounded) so a late status poll still gets the outcome.
 */
import { setMaxListeners } from 'node:events';
import type { IpcError, OpenedEstate, PullProgress, PullRequest, PullStatus } from '../../shared/ipc/contract';
import type { Snapshot } from '../../shared/model/snapshot';

/** The live pull (electron/azure), injected. Must honour `signal`; reports progress as it goes. */
export type PullFunction = (
  request: PullRequest,
  onProgress: (progress: PullProgress) => void,
  signal: AbortSignal,
) => Promise<Snapshot>;

/** The opened estate, and a sentence for the user when a best-effort step after it failed. */
export interface PulledEstate {
  readonly estate: OpenedEstate;
  /** e.g. the recent list could not keep a copy; null when everything worked. */
  readonly notice: string | null;
}

export interface PullJobsOptions {
  readonly pull: PullFunction;
  /** Opens the pulled snapshot as an estate (store + recent list, the latter best effort). */
  readonly openPulled: (request: PullRequest, snapshot: Snapshot) => Promise<PulledEstate>;
  /** Maps an error the pull threw (Azure, sign-in, bad input) to IPC error data. */
  readonly toError: (error: unknown) => IpcError;
  /**
   * Maps an error thrown AFTER the pull succeeded (opening the estate on this machine) to IPC error
   * data: it is never Azure's, so it must not be labelled as Azure's. Default: `toError`.
   */
  readonly toLocalError?: (error: unknown) => IpcError;
  readonly newId: () => string;
  readonly maxJobs?: number;
}

interface Job {
  readonly jobId: string;
  readonly controller: AbortController;
  progress: PullProgress;
  estate: OpenedEstate | null;
  notice: string | null;
  error: IpcError | null;
  finished: boolean;
  readonly done: Promise<void>;
}

export interface PullJobs {
  start(request: PullRequest): string;
  status(jobId: string): PullStatus | null;
  /** true when a running job was asked to stop; false when it had already finished; null if unknown. */
  cancel(jobId: string): boolean | null;
  /** Resolves when the job has finished (tests, shutdown). */
  settled(jobId: string): Promise<void>;
}

export function initialProgress(): PullProgress {
  return {
    phase: 'signing-in', resourcesFound: 0, requestsMade: 0, throttleWaitMs: 0, etaMs: null,
    completed: 0, total: null, gaps: [], message: 'Signing in to Azure',
  };
}

export function createPullJobs(options: PullJobsOptions): PullJobs {
  const maxJobs = options.maxJobs ?? 20;
  const jobs = new Map<string, Job>();

  function forgetOldFinishedJobs(): void {
    for (const job of jobs.values()) {
      if (jobs.size <= maxJobs) return;
      if (job.finished) jobs.delete(job.jobId);
    }
  }

  async function run(job: Job, request: PullRequest): Promise<void> {
    const { signal } = job.controller;
    // The pull shares one signal across many concurrent requests; each adds an abort listener.
    setMaxListeners(0, signal);
    let finalMessage = 'Pull complete';
    try {
      const snapshot = await options.pull(request, (progress) => {
        if (job.finished) return;
        // Only this job decides when it is finished: `done` is reported once the estate is open,
        // so a poller never sees `done` with no estate yet.
        if (progress.phase === 'done' || progress.phase === 'failed' || progress.phase === 'cancelled') {
          if (progress.phase === 'done' && progress.message.length > 0) finalMessage = progress.message;
          job.progress = { ...progress, phase: job.progress.phase };
          return;
        }
        job.progress = progress;
      }, signal);
      if (signal.aborted) throw signal.reason;
      let pulled: PulledEstate;
      try {
        pulled = await options.openPulled(request, snapshot);
      } catch (error) {
        // The pull itself succeeded: a failure here is local (memory, disk), not Azure's.
        job.error = (options.toLocalError ?? options.toError)(error);
        job.progress = { ...job.progress, phase: 'failed', etaMs: null, message: job.error.message };
        return;
      }
      job.estate = pulled.estate;
      job.notice = pulled.notice;
      job.progress = {
        ...job.progress, phase: 'done', etaMs: 0, gaps: snapshot.gaps,
        message: pulled.notice === null ? finalMessage : `${finalMessage}. ${pulled.notice}`,
      };
    } catch (error) {
      if (signal.aborted) {
        job.progress = { ...job.progress, phase: 'cancelled', etaMs: null, message: 'Pull cancelled' };
      } else {
        job.error = options.toError(error);
        job.progress = { ...job.progress, phase: 'failed', etaMs: null, message: job.error.message };
      }
    } finally {
      job.finished = true;
    }
  }

  return {
    start(request) {
      const jobId = options.newId();
      const controller = new AbortController();
      let startJob: () => void = () => undefined;
      const started = new Promise<void>((resolve) => { startJob = resolve; });
      const job: Job = {
        jobId, controller, progress: initialProgress(), estate: null, notice: null, error: null, finished: false,
        done: started.then(() => run(job, request)),
      };
      jobs.set(jobId, job);
      forgetOldFinishedJobs();
      startJob();
      return jobId;
    },
    status(jobId) {
      const job = jobs.get(jobId);
      if (!job) return null;
      return { jobId, progress: job.progress, estate: job.estate, notice: job.notice, error: job.error };
    },
    cancel(jobId) {
      const job = jobs.get(jobId);
      if (!job) return null;
      if (job.finished) return false;
      job.controller.abort(new Error('Pull cancelled by the user'));
      return true;
    },
    async settled(jobId) {
      await jobs.get(jobId)?.done;
    },
  };
}
