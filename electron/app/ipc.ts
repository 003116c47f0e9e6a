/**
 * The IPC handler registry: one `ipcMain.handle` per operation of the contract, and the only place
 * (with the preload) that touches Electron IPC. Each handler
 *   1. checks the sender: the top frame of one of our windows, showing our own `app://` page
 *      (a navigated or embedded frame gets `unknown-sender`);
 *   2. validates the request (shared/ipc/validate.ts) → `invalid-request`;
 *   3. calls the service, which answers an IpcResult.
 * [sender] https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_OPERATIONS, ipcChannel, type EgressAtlasApi, type IpcResult } from '../../shared/ipc/contract';
import { handleUntrustedRequest } from '../services/dispatch';
import { isAppUrl } from './app-url';

export interface IpcHandlerOptions {
  readonly services: EgressAtlasApi;
  /** True when `sender` belongs to a window the app created. */
  readonly isOwnWindow: (sender: WebContents) => boolean;
}

export function isTrustedSender(event: IpcMainInvokeEvent, isOwnWindow: (sender: WebContents) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url) && isOwnWindow(event.sender);
}

const UNKNOWN_SENDER: IpcResult<never> = {
  ok: false,
  error: { code: 'unknown-sender', message: 'Request refused: it did not come from an Egress Atlas window' },
};

/** Registers every operation; returns a function that removes the handlers again. */
export function registerIpcHandlers(options: IpcHandlerOptions): () => void {
  for (const op of IPC_OPERATIONS) {
    ipcMain.handle(ipcChannel(op), (event: IpcMainInvokeEvent, raw: unknown) => {
      if (!isTrustedSender(event, options.isOwnWindow)) return Promise.resolve(UNKNOWN_SENDER);
      return handleUntrustedRequest(options.services, op, raw);
    });
  }
  return () => {
    for (const op of IPC_OPERATIONS) ipcMain.removeHandler(ipcChannel(op));
  };
}
