import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_OPERATIONS, ipcChannel, type EgressAtlasApi, type IpcResult } from '../../../shared/ipc/contract';

type Handler = (event: unknown, raw: unknown) => Promise<IpcResult<unknown>>;
const { handlers } = vi.hoisted(() => ({ handlers: new Map<string, Handler>() }));
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpcHandlers } = await import('../../../electron/app/ipc');

const OWN_WINDOW = { id: 1 };
const OTHER_WINDOW = { id: 2 };

function event(sender: { id: number }, url: string, parent: unknown = null) {
  return { sender, senderFrame: { url, parent } };
}

function fakeServices() {
  const openDemo = vi.fn(async (request: { name: string }) => ({ ok: true as const, value: { opened: request.name } }));
  const api = Object.fromEntries(IPC_OPERATIONS.map((op) => [op, vi.fn(async () => ({ ok: true, value: op }))]));
  return { api: { ...api, openDemo } as unknown as EgressAtlasApi, openDemo };
}

function handler(op: string): Handler {
  const h = handlers.get(ipcChannel(op as never));
  if (!h) throw new Error(`no handler for ${op}`);
  return h;
}

describe('IPC handlers', () => {
  let services: ReturnType<typeof fakeServices>;
  let unregister: () => void;
  beforeEach(() => {
    handlers.clear();
    services = fakeServices();
    unregister = registerIpcHandlers({ services: services.api, isOwnWindow: (sender) => sender === (OWN_WINDOW as never) });
  });

  it('registers one handler per operation on its own channel, and removes them again', () => {
    expect([...handlers.keys()].sort()).toEqual(IPC_OPERATIONS.map((op) => `egress-atlas:${op}`).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('passes a valid request from our own page to the service', async () => {
    const result = await handler('openDemo')(event(OWN_WINDOW, 'app://egress-atlas/index.html#demo=bank'), { name: 'bank' });
    expect(result).toEqual({ ok: true, value: { opened: 'bank' } });
    expect(services.openDemo).toHaveBeenCalledWith({ name: 'bank' });
  });

  it('rejects a message from an unknown sender without calling the service', async () => {
    const cases = [
      event(OTHER_WINDOW, 'app://egress-atlas/index.html'),            // a window we did not create
      event(OWN_WINDOW, 'https://evil.example/'),                      // our window, navigated away
      event(OWN_WINDOW, 'file:///tmp/index.html'),
      event(OWN_WINDOW, 'app://other-host/index.html'),
      event(OWN_WINDOW, 'app://egress-atlas/index.html', { url: 'app://egress-atlas/' }), // a sub-frame
      { sender: OWN_WINDOW, senderFrame: null },                       // frame already gone
    ];
    for (const e of cases) {
      expect(await handler('openDemo')(e, { name: 'bank' })).toMatchObject({ ok: false, error: { code: 'unknown-sender' } });
    }
    expect(services.openDemo).not.toHaveBeenCalled();
  });

  it('rejects a malformed request as invalid-request without calling the service', async () => {
    const own = event(OWN_WINDOW, 'app://egress-atlas/index.html');
    for (const raw of [{ name: 42 }, { name: 'bank', path: '/etc/passwd' }, 'bank', undefined]) {
      expect(await handler('openDemo')(own, raw)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
    expect(services.openDemo).not.toHaveBeenCalled();
  });

  it('answers internal error data when a service throws', async () => {
    services.openDemo.mockRejectedValueOnce(new Error('disk full'));
    const result = await handler('openDemo')(event(OWN_WINDOW, 'app://egress-atlas/index.html'), { name: 'bank' });
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'disk full' } });
  });
});
