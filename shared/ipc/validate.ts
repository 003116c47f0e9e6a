/**
 * Hand-written guards for every IPC request. The main side (Electron `ipcMain` handlers and the
 * loopback HTTP bridge) runs every request through `validateRequest` before acting: the renderer is
 * treated as untrusted input, so types, lengths and counts are checked here, once, and the services
 * only ever see a freshly built, well-typed request object (never the caller's object itself).
 */
import { FLOW_GROUPINGS, type FlowGrouping } from '../graph/flow-overview';
import { assertNever } from '../model/assert';
import {
  IPC_OPERATIONS,
  type CloudName,
  type ImportedFile,
  type IpcOperation,
  type IpcRequest,
  type IpcResult,
  type PullRequest,
} from './contract';

/** Limits on what one request may carry. Generous for real estates, bounded for memory. */
export const IPC_LIMITS = {
  /** Files in one import (an `az` dump per subscription and resource type stays well under this). */
  maxImportFiles: 500,
  /**
   * Characters in one imported file: a whole-tenant snapshot (100,000 NICs) is about 170 MB, so
   * leave headroom; the request itself must stay under V8's ~536 M-character string limit.
   */
  maxFileChars: 256 * 1024 * 1024,
  /** Characters across all files of one import. */
  maxImportChars: 384 * 1024 * 1024,
  maxFileNameChars: 1024,
  /** An IPv6 address is at most 45 characters; leave room for a prefix length and spaces. */
  maxDestinationChars: 64,
  /** Estate, job and recent-entry IDs, demo names. */
  maxIdChars: 128,
  maxSourceIds: 100_000,
  /** ARM resource IDs are at most a few hundred characters. */
  maxResourceIdChars: 2048,
  maxSubscriptionIds: 10_000,
  maxTenantIdChars: 256,
  /**
   * Characters in one destinations list: the engine takes at most 1,000 destinations (matrix.ts),
   * and a labelled line is well under 1,000 characters, so 1 MiB covers a full list with comments.
   */
  maxDestinationListChars: 1024 * 1024,
  /**
   * Characters in one policy file: the starter policies are about 2 KB and a policy with a few
   * hundred controls and exceptions stays under 100 KB; 1 MiB bounds the parser's work.
   */
  maxPolicyChars: 1024 * 1024,
  /**
   * Log files in one `traffic` request: flow logs are one PT1H.json per hour and NIC (a week of
   * one NIC is 168 files), so a downloaded folder holds thousands.
   */
  maxLogFiles: 5000,
  /** Rows of a large estate's source list in one `flowSources` answer (a screenful is ~40). */
  maxFlowRows: 2000,
} as const;

const FLOW_GROUPING_NAMES: readonly FlowGrouping[] = FLOW_GROUPINGS.map((g) => g.grouping);
const CLOUD_NAMES: readonly CloudName[] = ['AzurePublicCloud', 'AzureUSGovernment', 'AzureChinaCloud'];
const EFFECTIVE_ROUTE_MODES: readonly PullRequest['effectiveRoutes'][] = ['none', 'sample', 'all'];

/** IDs we hand out (estate, job, recent entry) and demo names: URL-safe characters only. */
const ID_RE = /^[A-Za-z0-9._:-]+$/;
/** Subscription IDs are GUIDs; tenant IDs are GUIDs or verified domain names. */
const SUBSCRIPTION_ID_RE = /^[0-9A-Fa-f-]{1,64}$/;
const TENANT_ID_RE = /^[A-Za-z0-9.-]+$/;

export function isIpcOperation(name: unknown): name is IpcOperation {
  return typeof name === 'string' && (IPC_OPERATIONS as readonly string[]).includes(name);
}

/** Thrown inside the guards only; `validateRequest` turns it into an `invalid-request` result. */
class RequestShapeError extends Error {
  constructor(readonly path: string, readonly expected: string) {
    super(`${path}: expected ${expected}`);
  }
}

type Fields = Readonly<Record<string, unknown>>;

function isPlainObject(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The request must be a plain object with exactly the known keys (extra keys are a caller bug). */
function expectObject(value: unknown, path: string, allowedKeys: readonly string[]): Fields {
  if (!isPlainObject(value)) throw new RequestShapeError(path, 'an object');
  for (const key of Object.keys(value)) {
    // The key is the caller's: echoed clipped, so a megabyte-long key does not come back in the error.
    if (!allowedKeys.includes(key)) throw new RequestShapeError(`${path}.${key.length > 64 ? `${key.slice(0, 64)}… (${key.length} characters)` : key}`, 'no such field');
  }
  return value;
}

function expectString(value: unknown, path: string, maxChars: number, minChars = 1): string {
  if (typeof value !== 'string') throw new RequestShapeError(path, 'a string');
  if (value.length < minChars) throw new RequestShapeError(path, `at least ${minChars} character(s)`);
  if (value.length > maxChars) throw new RequestShapeError(path, `at most ${maxChars} characters`);
  return value;
}

function expectId(value: unknown, path: string): string {
  const id = expectString(value, path, IPC_LIMITS.maxIdChars);
  if (!ID_RE.test(id)) throw new RequestShapeError(path, 'an ID of letters, digits and . _ : -');
  return id;
}

function expectBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new RequestShapeError(path, 'true or false');
  return value;
}

function expectOneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw new RequestShapeError(path, `one of ${allowed.join(', ')}`);
  return match;
}

/** A whole number from 0 to `max` (offsets, window sizes). */
function expectCount(value: unknown, path: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) throw new RequestShapeError(path, `a whole number from 0 to ${max}`);
  return value;
}

function expectArray(value: unknown, path: string, maxItems: number): readonly unknown[] {
  if (!Array.isArray(value)) throw new RequestShapeError(path, 'an array');
  if (value.length > maxItems) throw new RequestShapeError(path, `at most ${maxItems} items`);
  // Structured clone (Electron IPC) keeps holes, and map/forEach skip them: no item may go unchecked.
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) throw new RequestShapeError(`${path}[${i}]`, 'an item (the array has a hole here)');
  }
  return value;
}

function expectDestination(value: unknown, path: string): string | null {
  if (value === null) return null;
  // Parsing the address is the resolver's job (it reports a bad one as an input error); here only
  // the size is bounded.
  const destination = expectString(value, path, IPC_LIMITS.maxDestinationChars).trim();
  // Blank is not "the default route" (that is null): it would answer a question nobody asked.
  if (destination === '') throw new RequestShapeError(path, 'an address, CIDR, host name or service tag (not only spaces), or null for the default route');
  return destination;
}

/** Operations whose request carries nothing: `{}` (or no argument at all) is accepted. */
function validateEmpty(raw: unknown): Record<string, never> {
  if (raw === undefined || raw === null) return {};
  expectObject(raw, '$', []);
  return {};
}

function validateFiles(raw: unknown): IpcRequest<'importFiles'> {
  const request = expectObject(raw, '$', ['files']);
  const items = expectArray(request.files, '$.files', IPC_LIMITS.maxImportFiles);
  if (items.length === 0) throw new RequestShapeError('$.files', 'at least one file');
  let totalChars = 0;
  const files: ImportedFile[] = items.map((item, i) => {
    const path = `$.files[${i}]`;
    const file = expectObject(item, path, ['name', 'text']);
    const name = expectString(file.name, `${path}.name`, IPC_LIMITS.maxFileNameChars);
    const text = expectString(file.text, `${path}.text`, IPC_LIMITS.maxFileChars, 0);
    totalChars += text.length;
    return { name, text };
  });
  if (totalChars > IPC_LIMITS.maxImportChars) {
    throw new RequestShapeError('$.files', `at most ${IPC_LIMITS.maxImportChars} characters in all`);
  }
  return { files };
}

/**
 * The log files of a `traffic` request. Their content is parsed on the main side (a bad row is an
 * input error naming the file and row); here count and sizes are bounded, and a bad entry's error
 * names the file as well as the JSON path, since the user picked files, not array indices.
 */
function validateLogFiles(raw: unknown): IpcRequest<'traffic'> {
  const request = expectObject(raw, '$', ['estateId', 'files']);
  const estateId = expectId(request.estateId, '$.estateId');
  const items = expectArray(request.files, '$.files', IPC_LIMITS.maxLogFiles);
  if (items.length === 0) throw new RequestShapeError('$.files', 'at least one log file');
  let totalChars = 0;
  const files: ImportedFile[] = items.map((item, i) => {
    const path = `$.files[${i}]`;
    const file = expectObject(item, path, ['name', 'text']);
    const name = expectString(file.name, `${path}.name`, IPC_LIMITS.maxFileNameChars);
    if (typeof file.text !== 'string') throw new RequestShapeError(`${path}.text`, `the text of log file "${name}"`);
    if (file.text.length > IPC_LIMITS.maxFileChars) {
      throw new RequestShapeError(`${path}.text`, `at most ${IPC_LIMITS.maxFileChars} characters in log file "${name}"`);
    }
    totalChars += file.text.length;
    return { name, text: file.text };
  });
  if (totalChars > IPC_LIMITS.maxImportChars) {
    throw new RequestShapeError('$.files', `at most ${IPC_LIMITS.maxImportChars} characters in all`);
  }
  return { estateId, files };
}

function validateSourceIds(value: unknown, path: string): readonly string[] | null {
  if (value === null) return null;
  return expectArray(value, path, IPC_LIMITS.maxSourceIds)
    .map((id, i) => expectString(id, `${path}[${i}]`, IPC_LIMITS.maxResourceIdChars));
}

function validatePull(raw: unknown): PullRequest {
  const request = expectObject(raw, '$', ['cloud', 'tenantId', 'subscriptionIds', 'effectiveRoutes', 'metrics', 'demoAzure']);
  let tenantId: string | null = null;
  if (request.tenantId !== null) {
    tenantId = expectString(request.tenantId, '$.tenantId', IPC_LIMITS.maxTenantIdChars).trim();
    if (!TENANT_ID_RE.test(tenantId)) throw new RequestShapeError('$.tenantId', 'a tenant GUID or domain name');
  }
  const subscriptionIds = expectArray(request.subscriptionIds, '$.subscriptionIds', IPC_LIMITS.maxSubscriptionIds)
    .map((id, i) => {
      const path = `$.subscriptionIds[${i}]`;
      const subscriptionId = expectString(id, path, 64).trim();
      if (!SUBSCRIPTION_ID_RE.test(subscriptionId)) throw new RequestShapeError(path, 'a subscription GUID');
      return subscriptionId;
    });
  return {
    cloud: expectOneOf(request.cloud, '$.cloud', CLOUD_NAMES),
    tenantId,
    subscriptionIds,
    effectiveRoutes: expectOneOf(request.effectiveRoutes, '$.effectiveRoutes', EFFECTIVE_ROUTE_MODES),
    metrics: expectBoolean(request.metrics, '$.metrics'),
    demoAzure: expectBoolean(request.demoAzure, '$.demoAzure'),
  };
}

function validateIdField<K extends string>(raw: unknown, key: K): { readonly [P in K]: string } {
  const request = expectObject(raw, '$', [key]);
  return { [key]: expectId(request[key], `$.${key}`) } as { readonly [P in K]: string };
}

/** Builds a fresh, typed request for `op` from untrusted input, or throws RequestShapeError. */
function buildRequest<Op extends IpcOperation>(op: Op, raw: unknown): IpcRequest<Op>;
function buildRequest(op: IpcOperation, raw: unknown): IpcRequest<IpcOperation> {
  switch (op) {
    case 'listDemos':
    case 'listRecent':
      return validateEmpty(raw);
    case 'openDemo':
      return validateIdField(raw, 'name');
    case 'importFiles':
      return validateFiles(raw);
    case 'openRecent':
      return validateIdField(raw, 'id');
    case 'openLoaded':
      return validateIdField(raw, 'estateId');
    case 'loadStatus':
      return validateIdField(raw, 'loadId');
    case 'openFileDialog':
      return validateEmpty(raw);
    case 'estateOverview': {
      const request = expectObject(raw, '$', ['estateId', 'grouping']);
      return { estateId: expectId(request.estateId, '$.estateId'), grouping: expectOneOf(request.grouping, '$.grouping', FLOW_GROUPING_NAMES) };
    }
    case 'flowSources': {
      const request = expectObject(raw, '$', ['estateId', 'grouping', 'bandId', 'offset', 'limit']);
      return {
        estateId: expectId(request.estateId, '$.estateId'),
        grouping: expectOneOf(request.grouping, '$.grouping', FLOW_GROUPING_NAMES),
        bandId: request.bandId === null ? null : expectString(request.bandId, '$.bandId', 3 * IPC_LIMITS.maxResourceIdChars),
        offset: expectCount(request.offset, '$.offset', Number.MAX_SAFE_INTEGER),
        limit: expectCount(request.limit, '$.limit', IPC_LIMITS.maxFlowRows),
      };
    }
    case 'sourcePath': {
      const request = expectObject(raw, '$', ['estateId', 'sourceId']);
      return { estateId: expectId(request.estateId, '$.estateId'), sourceId: expectString(request.sourceId, '$.sourceId', IPC_LIMITS.maxResourceIdChars) };
    }
    case 'resolve': {
      const request = expectObject(raw, '$', ['estateId', 'destination']);
      return { estateId: expectId(request.estateId, '$.estateId'), destination: expectDestination(request.destination, '$.destination') };
    }
    case 'reach': {
      const request = expectObject(raw, '$', ['estateId', 'sourceId']);
      return {
        estateId: expectId(request.estateId, '$.estateId'),
        sourceId: request.sourceId === null ? null : expectString(request.sourceId, '$.sourceId', IPC_LIMITS.maxResourceIdChars),
      };
    }
    case 'matrix': {
      // The list's content is parsed by the engine (a bad line is an input error naming the file and
      // line); here only its size and the file name's are bounded.
      const request = expectObject(raw, '$', ['estateId', 'destinations', 'fileName']);
      return {
        estateId: expectId(request.estateId, '$.estateId'),
        destinations: expectString(request.destinations, '$.destinations', IPC_LIMITS.maxDestinationListChars, 0),
        fileName: expectString(request.fileName, '$.fileName', IPC_LIMITS.maxFileNameChars),
      };
    }
    case 'check': {
      // The policy's content is parsed on the main side (every issue named by file, line and
      // field); here only its size and the file name's are bounded.
      const request = expectObject(raw, '$', ['estateId', 'policy', 'fileName']);
      return {
        estateId: expectId(request.estateId, '$.estateId'),
        policy: expectString(request.policy, '$.policy', IPC_LIMITS.maxPolicyChars, 0),
        fileName: expectString(request.fileName, '$.fileName', IPC_LIMITS.maxFileNameChars),
      };
    }
    case 'saveSnapshot':
      return validateIdField(raw, 'estateId');
    case 'exportEvidence': {
      const request = expectObject(raw, '$', ['estateId', 'destination', 'sourceIds', 'withTraffic']);
      return {
        estateId: expectId(request.estateId, '$.estateId'),
        destination: expectDestination(request.destination, '$.destination'),
        sourceIds: validateSourceIds(request.sourceIds, '$.sourceIds'),
        ...(request.withTraffic === undefined ? {} : { withTraffic: expectBoolean(request.withTraffic, '$.withTraffic') }),
      };
    }
    case 'traffic':
      return validateLogFiles(raw);
    case 'sampleLogs':
      return validateIdField(raw, 'estateId');
    case 'startPull':
      return validatePull(raw);
    case 'pullStatus':
    case 'cancelPull':
      return validateIdField(raw, 'jobId');
    default:
      return assertNever(op);
  }
}


/**
 * Checks `raw` against the request shape of `op`. On success the value is a new object holding
 * only validated fields; on failure an `invalid-request` error naming the JSON path.
 */
export function validateRequest<Op extends IpcOperation>(op: Op, raw: unknown): IpcResult<IpcRequest<Op>> {
  if (!isIpcOperation(op)) {
    return { ok: false, error: { code: 'invalid-request', message: `Unknown operation: ${String(op).slice(0, 64)}` } };
  }
  try {
    return { ok: true, value: buildRequest(op, raw) };
  } catch (error) {
    if (error instanceof RequestShapeError) {
      return { ok: false, error: { code: 'invalid-request', message: `Invalid ${op} request: ${error.message}`, path: error.path } };
    }
    throw error;
  }
}
