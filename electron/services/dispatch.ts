/**
 * The one path from an untrusted request to a service call, shared by the Electron IPC handlers and
 * the browser-mode HTTP bridge: validate (shared/ipc/validate.ts), then call the operation. A
 * service that throws anyway (a bug) still answers error data, never a rejected promise.
 */
import type { EgressAtlasApi, IpcOperation, IpcRequest, IpcResponse, IpcResult } from '../../shared/ipc/contract';
import { validateRequest } from '../../shared/ipc/validate';

export function invokeOperation<Op extends IpcOperation>(
  api: EgressAtlasApi,
  op: Op,
  request: IpcRequest<Op>,
): Promise<IpcResult<IpcResponse<Op>>> {
  // The mapped type loses the link between `op` and its handler's signature; this cast restores it.
  const handler = api[op] as (request: IpcRequest<Op>) => Promise<IpcResult<IpcResponse<Op>>>;
  return handler(request);
}

export async function handleUntrustedRequest<Op extends IpcOperation>(
  api: EgressAtlasApi,
  op: Op,
  raw: unknown,
): Promise<IpcResult<IpcResponse<Op>>> {
  const validated = validateRequest(op, raw);
  if (!validated.ok) return validated;
  try {
    return await invokeOperation(api, op, validated.value);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'internal', message } };
  }
}
