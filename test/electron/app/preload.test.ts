import { describe, expect, it, vi } from 'vitest';
import { IPC_OPERATIONS, ipcChannel } from '../../../shared/ipc/contract';

const { exposeInMainWorld, invoke } = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  invoke: vi.fn(async (channel: string, request: unknown) => ({ ok: true, value: { channel, request } })),
}));
vi.mock('electron', () => ({ contextBridge: { exposeInMainWorld }, ipcRenderer: { invoke } }));

await import('../../../electron/app/preload');

describe('preload', () => {
  it('exposes window.egressAtlas once, with exactly one method per operation', () => {
    expect(exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = exposeInMainWorld.mock.calls[0] as [string, Record<string, unknown>];
    expect(name).toBe('egressAtlas');
    expect(Object.keys(api).sort()).toEqual([...IPC_OPERATIONS].sort());
    for (const op of IPC_OPERATIONS) expect(typeof api[op]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('sends each method on its own channel and nothing else', async () => {
    const api = exposeInMainWorld.mock.calls[0]?.[1] as Record<string, (request: unknown) => Promise<unknown>>;
    for (const op of IPC_OPERATIONS) {
      invoke.mockClear();
      const request = { probe: op };
      await expect(api[op]?.(request)).resolves.toEqual({ ok: true, value: { channel: ipcChannel(op), request } });
      expect(invoke).toHaveBeenCalledExactlyOnceWith(ipcChannel(op), request);
    }
  });
});
