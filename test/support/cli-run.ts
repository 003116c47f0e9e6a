/** Runs the CLI in-process (the real command registry) and captures what it printed. */
import type { CliIo } from '../../electron/cli/command';
import { runCli } from '../../electron/cli/main';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `egress-atlas <args>` run in `cwd`, not a terminal, with an empty environment. */
export async function runCliIn(cwd: string, args: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, isTTY: false, cwd, env: {} };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
