import { describe, expect, it } from 'vitest';
import { nearest, oneOf, parseArgs, takeRepeated, UsageError } from '../../../electron/cli/args';

const SPEC = { demo: 'optional-value', format: 'value', explain: 'flag' } as const;

describe('parseArgs', () => {
  it('separates positionals from flags and valued options, in either --x v or --x=v form', () => {
    expect(parseArgs(['a.json', '--format', 'json', 'dir', '--explain'], SPEC)).toEqual({ positionals: ['a.json', 'dir'], options: { format: 'json', explain: true } });
    expect(parseArgs(['--format=table'], SPEC).options).toEqual({ format: 'table' });
  });

  it('an optional-value option takes the next argument only when it is not an option', () => {
    expect(parseArgs(['--demo'], SPEC).options).toEqual({ demo: true });
    expect(parseArgs(['--demo', '--explain'], SPEC).options).toEqual({ demo: true, explain: true });
    expect(parseArgs(['--demo', 'health', '--explain'], SPEC).options).toEqual({ demo: 'health', explain: true });
  });

  it('treats everything after -- as positionals', () => {
    expect(parseArgs(['--', '--explain'], SPEC)).toEqual({ positionals: ['--explain'], options: {} });
  });

  it.each([
    [['--colour'], 'unknown option --colour'],
    [['--format'], '--format needs a value'],
    [['--format', '--explain'], '--format needs a value'],
    [['--explain=yes'], '--explain takes no value'],
    [['--explain', '--explain'], '--explain given twice'],
  ])('refuses %j: %s', (args, message) => {
    expect(() => parseArgs(args, SPEC)).toThrow(new UsageError(message));
  });

  it('oneOf accepts only the listed values (case-insensitive) and falls back when absent', () => {
    expect(oneOf(parseArgs(['--format', 'JSON'], SPEC), 'format', ['table', 'json'], 'table')).toBe('json');
    expect(oneOf(parseArgs([], SPEC), 'format', ['table', 'json'], 'table')).toBe('table');
    expect(() => oneOf(parseArgs(['--format', 'csv'], SPEC), 'format', ['table', 'json'], 'table')).toThrow('--format must be one of table, json (got "csv")');
  });

  it('an unknown option suggests the nearest known one, repeatable options included', () => {
    expect(() => parseArgs(['--fromat', 'json'], SPEC)).toThrow(new UsageError('unknown option --fromat (did you mean "--format"?)'));
    expect(() => parseArgs(['--resolv', 'a=1.1.1.1'], SPEC, ['resolve'])).toThrow(new UsageError('unknown option --resolv (did you mean "--resolve"?)'));
    // A prefix shared by two options is no guess.
    expect(nearest('dest', ['destination', 'destinations'])).toBeUndefined();
    expect(nearest('expl', ['explain', 'format'])).toBe('explain');
  });

  it('a single-dash option is refused by name (never taken as an input path); a lone - stays a positional', () => {
    expect(() => parseArgs(['a.json', '-o', 'out.txt'], { ...SPEC, out: 'value' })).toThrow(new UsageError('unknown option -o (did you mean "--out"?)'));
    expect(() => parseArgs(['-format', 'json'], SPEC)).toThrow(new UsageError('unknown option -format (did you mean "--format"?)'));
    expect(() => parseArgs(['-q'], SPEC)).toThrow(new UsageError('unknown option -q'));
    expect(parseArgs(['-'], SPEC).positionals).toEqual(['-']);
  });

  it('an empty or blank value is a usage error, for valued and repeatable options alike', () => {
    expect(() => parseArgs(['--format', ''], SPEC)).toThrow(/^--format is empty/);
    expect(() => parseArgs(['--format=  '], SPEC)).toThrow(/^--format is empty/);
    expect(() => takeRepeated(['--subscription', ''], 'subscription', { splitCommas: true })).toThrow(/^--subscription is empty/);
    expect(() => takeRepeated(['--resolve='], 'resolve', { splitCommas: false })).toThrow(/^--resolve is empty/);
  });

  it('a comma list with an empty item (`"$A,$B"` with one unset, or only commas) is a usage error, not a shorter or no list', () => {
    // `--subscription ","` split to no ID at all, and pull then read every readable subscription.
    for (const value of [',', ' , ', 'a,', 'a,,b']) {
      expect(() => takeRepeated(['--subscription', value], 'subscription', { splitCommas: true }), value).toThrow(/^--subscription ".*" has an empty item/);
    }
    expect(takeRepeated(['--subscription', 'a, b', '--subscription=c'], 'subscription', { splitCommas: true }).values).toEqual(['a', 'b', 'c']);
  });
});

describe('nearest (did you mean)', () => {
  it('prefers a unique prefix over a spelling two edits away: an abbreviation names what was meant', () => {
    // check: --pol was "--now" (two edits), the evidence instant, not the policy.
    expect(nearest('pol', ['demo', 'policy', 'format', 'out', 'destination', 'service-tags', 'now', 'help', 'resolve'])).toBe('policy');
    // report: --sub was "--out"; the repeatable --subnet starts so.
    expect(nearest('sub', ['demo', 'out', 'destination', 'destinations', 'policy', 'since', 'timestamp', 'logs', 'subnet', 'resolve'])).toBe('subnet');
    // Commands: every 1-2 letter word was within two edits of "ui".
    const commands = ['check', 'cost', 'demos', 'diagram', 'prices', 'pull', 'reach', 'report', 'resolve', 'snapshot', 'traffic', 'ui', 'verify'];
    expect(nearest('dia', commands)).toBe('diagram');
    expect(nearest('ch', commands)).toBe('check');
  });

  it('gives no guess where several start so, and never one across meaning', () => {
    // `--dest` is both --destination and --destinations: no guess, and never --demo.
    expect(nearest('dest', ['demo', 'destination', 'destinations', 'source'])).toBeUndefined();
    // Where only --destination starts so, it is the guess; where none does, there is none (not --demo).
    expect(nearest('dest', ['demo', 'destination', 'format'])).toBe('destination');
    expect(nearest('dest', ['demo', 'format', 'source', 'out'])).toBeUndefined();
    expect(nearest('re', commands())).toBeUndefined();
  });

  it('keeps a spelling suggestion only when clearly close: at most two edits and a third of the length, no tie', () => {
    expect(nearest('fromat', ['format', 'out'])).toBe('format');
    expect(nearest('resolv', ['resolve'])).toBe('resolve');
    expect(nearest('tarffic', commands())).toBe('traffic');
    expect(nearest('FORMAT', ['format'])).toBe('format');
    // Two edits in three letters is another word: `--pol` is not --now, `dia` not ui, `xy` not ui.
    expect(nearest('xy', commands())).toBeUndefined();
    expect(nearest('sorce', ['source', 'scope'])).toBe('source');
    // A tie is no guess.
    expect(nearest('cast', ['cost', 'cest'])).toBeUndefined();
  });
});

function commands(): readonly string[] {
  return ['check', 'cost', 'demos', 'diagram', 'prices', 'pull', 'reach', 'report', 'resolve', 'snapshot', 'traffic', 'ui', 'verify'];
}
