/**
 * The README's CLI examples are what the CLI prints. Every command example in the README's code
 * blocks that runs offline on a demo (`--demo`, `--demo-azure`, or the shipped price table) is run:
 * where the README shows its output, the output must be that text exactly, or, for an abridged
 * example (a `…` line), the lines shown must appear in the output in that order; where it shows
 * none, the command must run as written. A change of output or of options that forgets the README
 * fails here (regenerate the block from a real run).
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn } from '../../support/cli-run';

const REPO = resolvePath(__dirname, '../../..');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');

/** One command example: the arguments after `npx egress-atlas`, and the output the README shows, if any. */
interface ReadmeExample {
  readonly line: number;
  readonly args: readonly string[];
  /** The lines the README shows as the output; null when it shows none. */
  readonly output: readonly string[] | null;
}

/** Words as a POSIX shell splits them (quotes, no expansion); a `# comment` ends the line. */
function shellWords(text: string): readonly string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (const c of text) {
    if (quote !== null) {
      if (c === quote) quote = null;
      else word = (word ?? '') + c;
    } else if (c === '"' || c === '\'') {
      quote = c;
      word = word ?? '';
    } else if (c === '#' && word === null) break;
    else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? '') + c;
  }
  if (word !== null) words.push(word);
  return words;
}

const COMMAND = /^(\$ )?npx egress-atlas (.+)$/;
// A block introduced by "`npx egress-atlas …`:" (or "… (abridged):") is that command's output.
const INTRO = /^`npx egress-atlas ([^`]+)`(?: \(abridged\))?:$/;

/** Every command example in the README's code blocks, with the output shown for it. */
function readmeExamples(readme: string): readonly ReadmeExample[] {
  const lines = readme.split('\n');
  const examples: ReadmeExample[] = [];
  let previous = '';
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (!text.startsWith('```')) {
      if (text.trim() !== '') previous = text.trim();
      continue;
    }
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? '').startsWith('```')) end++;
    const body = lines.slice(i + 1, end);
    const intro = INTRO.exec(previous);
    if (intro) examples.push({ line: i + 1, args: shellWords(intro[1] ?? ''), output: body });
    else {
      body.forEach((row, j) => {
        const command = COMMAND.exec(row.trim());
        if (!command) return;
        // `$ npx egress-atlas …` is followed by its output, up to the next prompt or the block's end.
        let k = j + 1;
        while (command[1] !== undefined && k < body.length && !(body[k] ?? '').startsWith('$ ')) k++;
        examples.push({ line: i + 2 + j, args: shellWords(command[2] ?? ''), output: command[1] === undefined ? null : body.slice(j + 1, k) });
      });
    }
    previous = '';
    i = end;
  }
  return examples;
}

/** Runs without a network or an Azure account: on a demo estate, or the shipped price table. */
function runsOfflineOnDemo(args: readonly string[]): boolean {
  if (args.some((a) => a.includes('<'))) return false;
  if (args.includes('--demo') || args.includes('--demo-azure')) return true;
  return (args[0] === 'prices' && !args.includes('--refresh')) || args[0] === 'demos';
}

const ELLIPSIS = '…';

/** Whether `shown` (an abridged example's lines, blank and `…` lines left out) appear in `output` in that order. */
function appearInOrder(shown: readonly string[], output: readonly string[]): readonly string[] {
  let at = 0;
  const missing: string[] = [];
  for (const line of shown) {
    const found = output.indexOf(line, at);
    if (found < 0) missing.push(line);
    else at = found + 1;
  }
  return missing;
}

const EXAMPLES = readmeExamples(README).filter((e) => runsOfflineOnDemo(e.args));

// Examples that write files run in a scratch folder whose `shared` and `test` point into the
// repository, so the README's relative paths (policies, log fixtures) hold and nothing is
// written into the checkout.
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-readme-'));
  await symlink(join(REPO, 'shared'), join(dir, 'shared'));
  await symlink(join(REPO, 'test'), join(dir, 'test'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('README examples print what the README says', () => {
  it('finds every offline demo example (the parser has not silently lost any)', () => {
    const found = EXAMPLES.map((e) => e.args.join(' '));
    for (const expected of [
      'resolve --demo bank',
      'resolve --demo bank --source snet-payments-reporting --explain',
      'reach --demo bank --source snet-payments-api',
      'check --demo bank --policy shared/policy/starters/bank.yaml',
      'report --demo bank --out evidence.pdf',
      'diagram --demo bank --format drawio --out egress.drawio',
      'traffic --demo bank --logs test/fixtures/logs',
      'cost --demo bank --logs test/fixtures/logs',
      'pull --demo-azure --out demo.json',
      'prices',
    ]) expect(found).toContain(expected);
    expect(EXAMPLES.filter((e) => e.output !== null).length).toBeGreaterThanOrEqual(3);
  });

  it.each(EXAMPLES.map((e) => [`README.md:${e.line}: egress-atlas ${e.args.join(' ')}`, e] as const))('%s', async (_, example) => {
    const run = await runCliIn(dir, example.args);
    // check exits 1 when a deny control fails (the bank demo's does): that is its answer, not a
    // failure to run. Exit 1 is also an operational failure (an unwritable --out), which says
    // `error:` instead of `check failed:` on stderr.
    const deniedControl = run.code === 1 && /^check failed: /m.test(run.stderr) && !/^error:/m.test(run.stderr);
    const ran = example.args[0] === 'check' ? run.code === 0 || deniedControl : run.code === 0;
    expect(ran, `exit ${run.code}: ${run.stderr}`).toBe(true);
    if (example.output === null) return;
    if (example.output.some((l) => l.trim() === ELLIPSIS)) {
      const shown = example.output.filter((l) => l.trim() !== '' && l.trim() !== ELLIPSIS);
      expect(appearInOrder(shown, run.stdout.split('\n'))).toEqual([]);
    } else {
      expect(run.stdout).toBe(`${example.output.join('\n')}\n`);
    }
  }, 60_000);

  // The lines before the reach example's "…" are how the output starts: an abridged example that
  // left out its second line (an Unknown entry, "may reach") read as if there were none.
  it('the reach example shows the first lines of the real output, before its "…"', async () => {
    const marker = '$ npx egress-atlas reach --demo bank --source snet-payments-api\n';
    const block = README.slice(README.indexOf(marker) + marker.length);
    const shown = block.slice(0, block.indexOf('  …')).split('\n').filter((l) => l !== '');
    const run = await runCliIn(REPO, ['reach', '--demo', 'bank', '--source', 'snet-payments-api']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, shown.length)).toEqual(shown);
  });

  it('the diagram example states the --scale range that --help and the code accept (0.5 to 4)', async () => {
    const help = await runCliIn(process.cwd(), ['diagram', '--help']);
    expect(help.stdout).toMatch(/0\.5/);
    expect(README).not.toContain('--scale 1..4');
    expect(README).toContain('--scale 0.5..4');
  });
});

describe('the README example parser', () => {
  it('reads introduced blocks, $-prompted output, plain command lines with comments, and quotes', () => {
    const readme = [
      '`npx egress-atlas resolve --demo bank`:', '', '```text', 'a', 'b', '```',
      '```sh', 'npx egress-atlas check --demo bank --policy "my policy.yaml"   # a comment', '```',
      '```text', '$ npx egress-atlas reach --demo bank', 'x', '  …', '```',
    ].join('\n');
    expect(readmeExamples(readme)).toEqual([
      { line: 3, args: ['resolve', '--demo', 'bank'], output: ['a', 'b'] },
      { line: 8, args: ['check', '--demo', 'bank', '--policy', 'my policy.yaml'], output: null },
      { line: 11, args: ['reach', '--demo', 'bank'], output: ['x', '  …'] },
    ]);
  });

  it('an abridged example\'s lines must appear in order', () => {
    expect(appearInOrder(['a', 'c'], ['a', 'b', 'c'])).toEqual([]);
    expect(appearInOrder(['c', 'a'], ['a', 'b', 'c'])).toEqual(['a']);
  });
});
