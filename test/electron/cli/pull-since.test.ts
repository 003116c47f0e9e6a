/**
 * `egress-atlas pull --logs <workspace> --since`: its date read by the one strict reader that
 * `traffic --since`, `report --timestamp` and `check --now` use (shared/model/dates.ts), refused
 * before anything is pulled. The pull itself is test/azure/logs.test.ts.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE_ID } from '../../../electron/azure/fake-arm/demo';
import { runCliIn, type CliRun } from '../../support/cli-run';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-pull-since-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function pull(since: string, out = 'refused.logs.json'): Promise<CliRun> {
  return runCliIn(dir, ['pull', '--demo-azure', '--logs', DEMO_WORKSPACE_ID, '--logs-out', out, '--since', since]);
}

const FORMS = 'expected a duration (7d, 12h or 30m back from now), a day (YYYY-MM-DD, read as UTC) or an ISO 8601 date-time with a time zone (2024-05-01T10:00:00Z)';

describe('egress-atlas pull --logs --since', () => {
  it.each([
    ['2024-05-02T10:00:00', 'has no time zone, so the runner\'s local zone would decide the instant: add Z (UTC) or an offset, like 2024-05-02T10:00:00Z'],
    ['7', 'is not an ISO 8601 date-time or a duration (a duration needs its unit: 7d, 7h or 7m)'],
    ['2024-02-30', 'names a day or a time of day that does not exist'],
    ['last week', 'is not an ISO 8601 date-time or a duration'],
  ])('refuses --since %s before any request, naming the forms it takes', async (since, problem) => {
    const run = await pull(since);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toBe(`error: --since "${since}" ${problem}; ${FORMS}\n(see "egress-atlas pull --help")\n`);
    await expect(readFile(join(dir, 'refused.logs.json'))).rejects.toThrow();
  });

  it('queries from the instant a date-time with an offset names (UTC in the file written)', async () => {
    const run = await pull('2024-05-01T00:00:00+02:00', 'offset.logs.json');
    expect(run.code).toBe(0);
    const written = await readFile(join(dir, 'offset.logs.json'), 'utf8');
    expect(written).toMatch(/"timespan": "2024-04-30T22:00:00\.000Z\//);
  }, 60_000);
});
