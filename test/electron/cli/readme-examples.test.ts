/**
 * The README's CLI examples are what the CLI prints: each example block is compared with a real
 * run, so a change of output that forgets the README fails here (regenerate the block from the run).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCliIn } from '../../support/cli-run';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The first ```text block after `marker` in the README. */
function readmeBlockAfter(marker: string): string {
  const at = README.indexOf(marker);
  if (at < 0) throw new Error(`README has no "${marker}"`);
  const start = README.indexOf('```text\n', at) + '```text\n'.length;
  return README.slice(start, README.indexOf('```', start));
}

describe('README examples print what the README says', () => {
  it('`resolve --demo bank` prints the README\'s table, summary line and gaps included', async () => {
    const run = await runCliIn(process.cwd(), ['resolve', '--demo', 'bank']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readmeBlockAfter('`npx egress-atlas resolve --demo bank`:'));
  });

  it('`resolve --demo bank --source snet-payments-reporting --explain`: every line of the abridged example is in the output', async () => {
    const run = await runCliIn(process.cwd(), ['resolve', '--demo', 'bank', '--source', 'snet-payments-reporting', '--explain']);
    expect(run.code).toBe(0);
    const lines = readmeBlockAfter('`npx egress-atlas resolve --demo bank --source snet-payments-reporting --explain` (abridged):')
      .split('\n').filter((l) => l.trim() !== '' && l.trim() !== '…');
    expect(lines.filter((l) => l.trim().startsWith('verify:')).length).toBeGreaterThan(0);
    const output = run.stdout.split('\n');
    expect(lines.filter((l) => !output.includes(l))).toEqual([]);
  });

  it('`reach --demo bank --source snet-payments-api` starts as the README shows', async () => {
    const run = await runCliIn(process.cwd(), ['reach', '--demo', 'bank', '--source', 'snet-payments-api']);
    expect(run.code).toBe(0);
    const example = README.slice(README.indexOf('$ npx egress-atlas reach --demo bank --source snet-payments-api\n'));
    const first = example.split('\n')[1] ?? '';
    expect(first).toBe('snet-payments-api (subnet)  restricted (default route: internet)');
    expect(run.stdout.startsWith(`${first}\n`)).toBe(true);
  });

  it('the diagram example states the --scale range that --help and the code accept (0.5 to 4)', async () => {
    const help = await runCliIn(process.cwd(), ['diagram', '--help']);
    expect(help.stdout).toMatch(/0\.5/);
    expect(README).not.toContain('--scale 1..4');
    expect(README).toContain('--scale 0.5..4');
  });
});
