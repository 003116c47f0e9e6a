import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildEgressGraph, layoutEgressGraph } from '../../../shared/graph';
import { hubSpokeModel, hubSpokeResult, ids } from './hub-spoke-fixture';

// Its own file: ELK is created once per module instance, and the first creation is what is tested.
describe('layoutEgressGraph inside a Web Worker-like scope', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("leaves the worker's own onmessage handler in place (elkjs's bundled build replaces it)", async () => {
    const handler = (): void => undefined;
    // What a dedicated worker looks like to elkjs: a `self`, no `document`.
    vi.stubGlobal('self', globalThis);
    vi.stubGlobal('onmessage', handler);
    const layout = await layoutEgressGraph(buildEgressGraph(hubSpokeModel, hubSpokeResult, { kind: 'path', sourceIds: [ids.web] }));
    expect(layout.nodes.map((n) => n.id)).toContain(ids.web);
    expect((globalThis as { onmessage?: unknown }).onmessage).toBe(handler);
  });
});
