/**
 * `pull --logs` (electron/azure/logs.ts pullLogs) against answers that are not Log Analytics JSON.
 * Its pipeline is built apart from the ARM ones (hardenPipeline), so it must refuse a proxy's or
 * sign-in page's 200 itself: a gap that says the answer was not JSON, never a TypeError's text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pullLogs } from '../../../electron/azure/logs';
import { DEMO_WORKSPACE_ID, demoEstate } from '../../../electron/azure/fake-arm/demo';
import { startFakeArm, type FakeArm } from '../../fake-arm';
import { recordingCredential } from './helpers';
import { forwardingTransport, htmlPage } from '../../support/forwarding-transport';

let fake: FakeArm | null = null;

afterEach(async () => {
  await fake?.close();
  fake = null;
});

describe('the Log Analytics pipeline and answers that are not JSON', () => {
  it('a 200 HTML page for a workspace query is a gap per table saying the answer was not JSON, not a TypeError text', async () => {
    fake = await startFakeArm({ estate: demoEstate() });
    const httpClient = forwardingTransport((request, response) => (response.status === 200 ? htmlPage(request) : null));
    const outcome = await pullLogs({ workspaceId: DEMO_WORKSPACE_ID, cloud: 'AzurePublicCloud', endpoint: `${fake.url}/v1`, credential: recordingCredential(), httpClient });
    const failed = outcome.gaps.filter((g) => g.code === 'request-failed');
    expect(failed.length).toBeGreaterThan(0);
    // Nothing of a page was read as rows (a table the workspace lacks is its own gap, as before).
    expect(outcome.file.egressAtlas.queries.map((q) => q.status)).not.toContain('ok');
    for (const gap of failed) {
      expect(gap.message).not.toMatch(/Cannot read properties|undefined/);
      expect(gap.message).toMatch(/^Log Analytics query of \w+ failed: Log Analytics answered POST \S+ with HTTP 200 but a text\/html body that is not JSON \(a proxy, captive portal or sign-in page/);
    }
    expect(outcome.rows).toBe(0);
  });

  it('the same workspace answering JSON is read (the check lets Log Analytics answers through)', async () => {
    fake = await startFakeArm({ estate: demoEstate() });
    const outcome = await pullLogs({ workspaceId: DEMO_WORKSPACE_ID, cloud: 'AzurePublicCloud', endpoint: `${fake.url}/v1`, credential: recordingCredential() });
    expect(outcome.gaps.filter((g) => g.code === 'request-failed')).toEqual([]);
    expect(outcome.rows).toBeGreaterThan(0);
  });
});
