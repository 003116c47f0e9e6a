import { describe, expect, it } from 'vitest';
import { IPC_OPERATIONS, type IpcOperation, type PullRequest } from '../../../shared/ipc/contract';
import { IPC_LIMITS, isIpcOperation, validateRequest } from '../../../shared/ipc/validate';

const PULL: PullRequest = {
  cloud: 'AzurePublicCloud',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  subscriptionIds: ['6b1f3c2a-8d4e-4f7a-9c15-2e8b7d0a4c91'],
  effectiveRoutes: 'sample',
  metrics: true,
  demoAzure: false,
};

/** One valid request per operation, and malformed ones that must be refused. */
const CASES: { readonly [Op in IpcOperation]: { readonly valid: unknown; readonly malformed: readonly unknown[] } } = {
  listDemos: { valid: {}, malformed: [[], 'x', { name: 'bank' }] },
  listRecent: { valid: {}, malformed: [42, { extra: true }] },
  openDemo: { valid: { name: 'bank' }, malformed: [{}, { name: 3 }, { name: '' }, { name: 'a/../b' }, { name: 'x'.repeat(IPC_LIMITS.maxIdChars + 1) }, { name: 'bank', extra: 1 }] },
  importFiles: {
    valid: { files: [{ name: 'vnets.json', text: '{"value":[]}' }] },
    malformed: [
      { files: [] },
      { files: 'x' },
      { files: [{ name: 'a.json' }] },
      { files: [{ name: '', text: '{}' }] },
      { files: [{ name: 'a.json', text: 7 }] },
      { files: [{ name: 'a.json', text: '{}', path: '/etc/passwd' }] },
      { files: Array.from({ length: IPC_LIMITS.maxImportFiles + 1 }, (_, i) => ({ name: `${i}.json`, text: '{}' })) },
    ],
  },
  openRecent: { valid: { id: '3f1c9a2e-0d4b-4c55-9e1a-7b2d8c6f0a11' }, malformed: [{ id: null }, { id: 'has space' }, {}] },
  loadStatus: { valid: { loadId: 'load-1' }, malformed: [{}, { loadId: 'a b' }, { loadId: 'load-1', estateId: 'e' }] },
  openFileDialog: { valid: {}, malformed: [{ path: '/etc/passwd' }, 'x'] },
  estateOverview: {
    valid: { estateId: 'estate-1', grouping: 'virtual-network' },
    malformed: [{ estateId: 'estate-1' }, { estateId: 'estate-1', grouping: 'tag' }, { estateId: 'estate-1', grouping: 'owner', extra: 1 }],
  },
  flowSources: {
    valid: { estateId: 'estate-1', grouping: 'owner', bandId: 's:a>i:none!', offset: 200, limit: 200 },
    malformed: [{ estateId: 'estate-1', grouping: 'owner', bandId: null, offset: -1, limit: 10 },
      { estateId: 'estate-1', grouping: 'owner', bandId: null, offset: 0, limit: IPC_LIMITS.maxFlowRows + 1 },
      { estateId: 'estate-1', grouping: 'owner', bandId: null, offset: 1.5, limit: 10 },
      { estateId: 'estate-1', grouping: 'owner', bandId: 7, offset: 0, limit: 10 },
      { estateId: 'estate-1', grouping: 'owner', offset: 0, limit: 10 }],
  },
  sourcePath: {
    valid: { estateId: 'estate-1', sourceId: '/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v/subnets/a' },
    malformed: [{ estateId: 'estate-1' }, { estateId: 'estate-1', sourceId: '' }, { estateId: 'estate-1', sourceId: null }],
  },
  resolve: {
    valid: { estateId: 'estate-1', destination: '20.50.1.1' },
    malformed: [{ estateId: 'estate-1' }, { estateId: 'estate-1', destination: 5 }, { estateId: '', destination: null },
      { estateId: 'estate-1', destination: '1'.repeat(IPC_LIMITS.maxDestinationChars + 1) }],
  },
  reach: {
    valid: { estateId: 'estate-1', sourceId: '/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v/subnets/a' },
    malformed: [{ estateId: 'estate-1' }, { estateId: 'estate-1', sourceId: 7 }, { estateId: 'estate-1', sourceId: '' },
      { estateId: 'estate-1', sourceId: 'x'.repeat(IPC_LIMITS.maxResourceIdChars + 1) }, { estateId: 'has space', sourceId: null },
      { estateId: 'estate-1', sourceId: null, destination: null }],
  },
  matrix: {
    valid: { estateId: 'estate-1', destinations: 'api.stripe.com\nexfil.example.net\n', fileName: 'destinations.txt' },
    malformed: [{ estateId: 'estate-1', destinations: 'api.stripe.com' }, { estateId: 'estate-1', destinations: ['api.stripe.com'], fileName: 'l.txt' },
      { estateId: 'estate-1', destinations: 'api.stripe.com', fileName: '' },
      { estateId: 'estate-1', destinations: 'api.stripe.com', fileName: 'x'.repeat(IPC_LIMITS.maxFileNameChars + 1) },
      { estateId: 'estate-1', destinations: 'a'.repeat(IPC_LIMITS.maxDestinationListChars + 1), fileName: 'huge.txt' },
      { estateId: 'estate-1', destinations: 'api.stripe.com', fileName: 'l.txt', path: '/etc/hosts' }],
  },
  check: {
    valid: { estateId: 'estate-1', policy: 'version: 1\ncontrols: []\n', fileName: 'egress.yaml' },
    malformed: [{ estateId: 'estate-1', policy: 'version: 1' }, { estateId: 'estate-1', policy: { version: 1 }, fileName: 'p.json' },
      { estateId: 'estate-1', policy: 'version: 1', fileName: '' },
      { estateId: 'estate-1', policy: 'version: 1', fileName: 'x'.repeat(IPC_LIMITS.maxFileNameChars + 1) },
      { estateId: 'estate-1', policy: 'a'.repeat(IPC_LIMITS.maxPolicyChars + 1), fileName: 'huge.yaml' },
      { estateId: 'has space', policy: 'version: 1', fileName: 'p.yaml' },
      { estateId: 'estate-1', policy: 'version: 1', fileName: 'p.yaml', now: '2030-01-01' }],
  },
  saveSnapshot: { valid: { estateId: 'estate-1' }, malformed: [{ estateId: ['estate-1'] }, null] },
  openLoaded: { valid: { estateId: 'estate-1' }, malformed: [{ estateId: 'a b' }, {}, null] },
  exportEvidence: {
    valid: { estateId: 'estate-1', destination: null, sourceIds: ['/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v/subnets/a'] },
    malformed: [{ estateId: 'estate-1', destination: null }, { estateId: 'estate-1', destination: null, sourceIds: [1] },
      { estateId: 'estate-1', destination: null, sourceIds: 'all' }],
  },
  startPull: {
    valid: PULL,
    malformed: [
      { ...PULL, cloud: 'AzureGermanCloud' },
      { ...PULL, tenantId: 'evil tenant; rm -rf' },
      { ...PULL, subscriptionIds: ['not a guid!'] },
      { ...PULL, subscriptionIds: 'all' },
      { ...PULL, effectiveRoutes: 'some' },
      { ...PULL, metrics: 'yes' },
      { cloud: 'AzurePublicCloud' },
    ],
  },
  pullStatus: { valid: { jobId: 'pull-1' }, malformed: [{ jobId: 1 }, { job: 'pull-1' }] },
  cancelPull: { valid: { jobId: 'pull-1' }, malformed: [{}, 'pull-1'] },
  traffic: {
    valid: { estateId: 'estate-1', files: [{ name: 'PT1H.json', text: '{"records":[]}' }] },
    malformed: [{ estateId: 'estate-1' }, { estateId: 'estate-1', files: [] }, { estateId: 'estate-1', files: [{ name: 'a.csv' }] },
      { estateId: 'estate-1', files: [{ name: 'a.csv', text: 1 }] }, { estateId: 'a b', files: [{ name: 'a.csv', text: '' }] },
      { estateId: 'estate-1', files: [{ name: 'a.csv', text: '' }], since: '7d' }],
  },
  sampleLogs: { valid: { estateId: 'estate-1' }, malformed: [{}, { estateId: 'a b' }, { name: 'bank' }] },
};

describe('validateRequest', () => {
  it('has a valid and malformed case for every operation of the contract', () => {
    expect(Object.keys(CASES).sort()).toEqual([...IPC_OPERATIONS].sort());
  });

  for (const op of IPC_OPERATIONS) {
    it(`${op}: accepts a well-formed request and returns an equal, fresh object`, () => {
      const raw = CASES[op].valid;
      const result = validateRequest(op, raw);
      expect(result).toEqual({ ok: true, value: raw });
      if (result.ok && typeof raw === 'object' && Object.keys(raw ?? {}).length > 0) expect(result.value).not.toBe(raw);
    });

    it(`${op}: refuses malformed requests as invalid-request data`, () => {
      for (const raw of CASES[op].malformed) {
        const result = validateRequest(op, raw);
        expect(result.ok, JSON.stringify(raw)?.slice(0, 200)).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe('invalid-request');
          expect(result.error.message).toContain(op);
        }
      }
    });
  }

  it('accepts no argument for operations without a request body', () => {
    expect(validateRequest('listDemos', undefined)).toEqual({ ok: true, value: {} });
    expect(validateRequest('listRecent', null)).toEqual({ ok: true, value: {} });
  });

  it('names the JSON path of the bad field', () => {
    const result = validateRequest('importFiles', { files: [{ name: 'a.json', text: '{}' }, { name: 'b.json', text: 1 }] });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request', path: '$.files[1].text' } });
  });

  it('caps the total size of an import', () => {
    const big = 'x'.repeat(IPC_LIMITS.maxFileChars);
    const files = [{ name: 'a', text: big }, { name: 'b', text: big }, { name: 'c', text: 'x' }];
    expect(validateRequest('importFiles', { files })).toMatchObject({ ok: false, error: { path: '$.files' } });
  });

  it('refuses objects with a non-plain prototype', () => {
    class Sneaky { name = 'bank'; }
    expect(validateRequest('openDemo', new Sneaky()).ok).toBe(false);
    expect(validateRequest('openDemo', JSON.parse('{"name":"bank","__proto__":{"polluted":true}}')).ok).toBe(false);
  });

  it('trims the destination and keeps null as the default route', () => {
    expect(validateRequest('resolve', { estateId: 'e', destination: ' 8.8.8.8 ' })).toEqual({ ok: true, value: { estateId: 'e', destination: '8.8.8.8' } });
    expect(validateRequest('resolve', { estateId: 'e', destination: null })).toEqual({ ok: true, value: { estateId: 'e', destination: null } });
  });

  it('reach: null asks for every source; a source ID is passed on untouched', () => {
    expect(validateRequest('reach', { estateId: 'e', sourceId: null })).toEqual({ ok: true, value: { estateId: 'e', sourceId: null } });
    const id = '/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/networkInterfaces/nic-1';
    expect(validateRequest('reach', { estateId: 'e', sourceId: id })).toEqual({ ok: true, value: { estateId: 'e', sourceId: id } });
  });

  it('matrix: the list text is bounded, not parsed (a bad line is the engine\'s input error); empty text passes', () => {
    expect(validateRequest('matrix', { estateId: 'e', destinations: 'not a destination', fileName: 'l.txt' }).ok).toBe(true);
    expect(validateRequest('matrix', { estateId: 'e', destinations: '', fileName: 'l.txt' }).ok).toBe(true);
    const atLimit = 'a'.repeat(IPC_LIMITS.maxDestinationListChars);
    expect(validateRequest('matrix', { estateId: 'e', destinations: atLimit, fileName: 'l.txt' }).ok).toBe(true);
    expect(validateRequest('matrix', { estateId: 'e', destinations: `${atLimit}a`, fileName: 'l.txt' }))
      .toMatchObject({ ok: false, error: { code: 'invalid-request', path: '$.destinations' } });
  });

  it('check: the policy text is bounded, not parsed (a bad policy is the main side\'s input error); empty text passes', () => {
    expect(validateRequest('check', { estateId: 'e', policy: 'not: [a policy', fileName: 'p.yaml' }).ok).toBe(true);
    expect(validateRequest('check', { estateId: 'e', policy: '', fileName: 'p.yaml' }).ok).toBe(true);
    const atLimit = 'a'.repeat(IPC_LIMITS.maxPolicyChars);
    expect(validateRequest('check', { estateId: 'e', policy: atLimit, fileName: 'p.yaml' }).ok).toBe(true);
    expect(validateRequest('check', { estateId: 'e', policy: `${atLimit}a`, fileName: 'p.yaml' }))
      .toMatchObject({ ok: false, error: { code: 'invalid-request', path: '$.policy' } });
    // The clock is the main side's: a caller cannot choose the day exceptions are judged on.
    expect(validateRequest('check', { estateId: 'e', policy: '', fileName: 'p.yaml', now: '2020-01-01' }))
      .toMatchObject({ ok: false, error: { code: 'invalid-request', path: '$.now' } });
  });

  it('accepts a pull for every subscription the account can read (empty list) and a null tenant', () => {
    expect(validateRequest('startPull', { ...PULL, tenantId: null, subscriptionIds: [] }).ok).toBe(true);
  });

  it('refuses an unknown operation name', () => {
    expect(validateRequest('deleteEverything' as IpcOperation, {})).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });
});

describe('isIpcOperation', () => {
  it('knows exactly the contract operations', () => {
    for (const op of IPC_OPERATIONS) expect(isIpcOperation(op)).toBe(true);
    for (const name of ['', 'constructor', '__proto__', 'toString', 'listdemos', 42, null]) expect(isIpcOperation(name)).toBe(false);
  });
});

describe('hostile shapes', () => {
  // Electron IPC (structured clone) keeps array holes, and map/forEach skip them: a hole would
  // reach the services unchecked.
  it('refuses arrays with holes, naming the hole', () => {
    const sparse = (n: number): unknown[] => structuredClone(new Array<unknown>(n));
    const cases: [IpcOperation, unknown][] = [
      ['importFiles', { files: sparse(2) }],
      ['traffic', { estateId: 'estate-1', files: sparse(1) }],
      ['exportEvidence', { estateId: 'estate-1', destination: null, sourceIds: sparse(3) }],
      ['startPull', { ...PULL, subscriptionIds: sparse(1) }],
    ];
    for (const [op, raw] of cases) {
      const result = validateRequest(op, raw);
      expect(result.ok, op).toBe(false);
      if (!result.ok) expect(result.error.path, op).toMatch(/\[0\]$/);
    }
  });

  it('clips an unknown field\'s name in the error (a megabyte-long key is not echoed back)', () => {
    const result = validateRequest('openDemo', { name: 'bank', ['k'.repeat(1_000_000)]: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message.length).toBeLessThan(300);
      expect(result.error.path).toBe(`$.${'k'.repeat(64)}… (1000000 characters)`);
    }
  });

  // A blank what-if is not the default route (null is): it must not answer a question nobody asked.
  it('refuses a destination of only spaces, as it refuses an empty one', () => {
    for (const destination of ['', ' \t ']) {
      expect(validateRequest('resolve', { estateId: 'estate-1', destination }).ok).toBe(false);
      expect(validateRequest('exportEvidence', { estateId: 'estate-1', destination, sourceIds: null }).ok).toBe(false);
    }
    expect(validateRequest('resolve', { estateId: 'estate-1', destination: ' 8.8.8.8 ' })).toMatchObject({ ok: true, value: { destination: '8.8.8.8' } });
  });
});
