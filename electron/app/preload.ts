/**
 * Exposes `window.egressAtlas` to the sandboxed, context-isolated renderer: exactly one method per
 * operation of the IPC contract, each bound to its own channel. There is deliberately no generic
 * `invoke(channel, …)`: the page can reach these operations and nothing else.
 * Bundled to one CommonJS file (electron/dist/preload.cjs) that requires only `electron`, as a
 * sandboxed preload must.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  ipcChannel, type EgressAtlasApi, type IpcOperation, type IpcRequest, type IpcResponse, type IpcResult,
} from '../../shared/ipc/contract';

function operation<Op extends IpcOperation>(op: Op): (request: IpcRequest<Op>) => Promise<IpcResult<IpcResponse<Op>>> {
  const channel = ipcChannel(op);
  return (request) => ipcRenderer.invoke(channel, request) as Promise<IpcResult<IpcResponse<Op>>>;
}

const api: EgressAtlasApi = {
  listDemos: operation('listDemos'),
  openDemo: operation('openDemo'),
  importFiles: operation('importFiles'),
  listRecent: operation('listRecent'),
  openRecent: operation('openRecent'),
  resolve: operation('resolve'),
  reach: operation('reach'),
  matrix: operation('matrix'),
  check: operation('check'),
  saveSnapshot: operation('saveSnapshot'),
  exportEvidence: operation('exportEvidence'),
  startPull: operation('startPull'),
  pullStatus: operation('pullStatus'),
  cancelPull: operation('cancelPull'),
  openLoaded: operation('openLoaded'),
  loadStatus: operation('loadStatus'),
  openFileDialog: operation('openFileDialog'),
  estateOverview: operation('estateOverview'),
  flowSources: operation('flowSources'),
  sourcePath: operation('sourcePath'),
  traffic: operation('traffic'),
  sampleLogs: operation('sampleLogs'),
};

contextBridge.exposeInMainWorld('egressAtlas', Object.freeze(api));
