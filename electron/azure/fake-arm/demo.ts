/**
 * `--demo-azure`: a small, realistic estate served by the fake ARM server on 127.0.0.1, with the
 * things a real tenant shows: some latency, one subscription the account cannot read (403), a
 * moment of throttling (429 + Retry-After) and a stopped VM, so a new user sees progress, waits and
 * gaps without an Azure account. The data: the `bank` demo plus a two-subscription synthetic estate,
 * and the bank's VM resources (see demoVirtualMachines).
 */
import { bankResources } from '../../../shared/demo/bank';
import { generateSyntheticEstate } from '../../../shared/demo/synthetic';
import type { Clock } from '../clock';
import { demoWorkspaceTables } from './log-analytics';
import { startFakeArm, type FakeArm, type FakeEstate, type FakeResource } from './server';

export const DEMO_TENANT_ID = '72f988bf-0000-4000-8000-000000000001';
export const DEMO_FORBIDDEN_SUBSCRIPTION = '0b5c9d1e-7a3f-4c2b-9e8d-5f6a7b8c9d0e';
/** `pull --demo-azure --logs <id>`: the bank's firewall and Traffic Analytics summaries. */
export const DEMO_WORKSPACE_ID = '4f1c2a9e-6b3d-4e8f-a215-7c9d0e1f2a3b';
/** A workspace the demo account may not read (403 InsufficientAccessError). */
export const DEMO_FORBIDDEN_WORKSPACE_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

function subscriptionsOf(resources: readonly FakeResource[]): string[] {
  return [...new Set(resources.map((r) => r.id.split('/')[2] ?? ''))].filter((s) => s.length > 0);
}

function isResource(value: unknown): value is FakeResource {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
    && typeof (value as { type?: unknown }).type === 'string';
}

/** The bank's reporting VM: an instance of a Flexible-orchestration scale set. */
export const DEMO_FLEXIBLE_VM_NAME = 'vm-payrpt-01';

/**
 * One VM resource per bank NIC with a VM, REST-shaped with more than the pull asks for (its
 * Resource Graph query keeps only `virtualMachineScaleSet`). The reporting VM is a Flexible scale
 * set instance: its subnet has no explicit outbound method, so without its VM resource the NIC
 * would be read as using default outbound access, which such instances never get [DOA]
 * https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
 * The synthetic estate's VMs are not served: their default-outbound verdicts keep the gap.
 */
export function demoVirtualMachines(resources: readonly FakeResource[]): FakeResource[] {
  const vms: FakeResource[] = [];
  for (const nic of resources) {
    if (nic.type.toLowerCase() !== 'microsoft.network/networkinterfaces') continue;
    const vm = nic.properties['virtualMachine'];
    const vmId = typeof vm === 'object' && vm !== null && typeof (vm as { id?: unknown }).id === 'string' ? (vm as { id: string }).id : null;
    if (vmId === null) continue;
    const name = vmId.split('/').pop() ?? '';
    const flexible = name === DEMO_FLEXIBLE_VM_NAME;
    vms.push({
      id: vmId, name, type: 'Microsoft.Compute/virtualMachines', ...(nic.location === undefined ? {} : { location: nic.location }),
      ...(nic.tags === undefined ? {} : { tags: nic.tags }),
      properties: {
        hardwareProfile: { vmSize: 'Standard_D2s_v5' },
        storageProfile: { osDisk: { osType: 'Linux', name: `${name}-osdisk`, createOption: 'FromImage' } },
        networkProfile: { networkInterfaces: [{ id: nic.id, properties: { primary: true } }] },
        provisioningState: 'Succeeded',
        ...(flexible ? { virtualMachineScaleSet: { id: `${vmId.slice(0, vmId.toLowerCase().indexOf('/providers/'))}/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-payrpt` } } : {}),
      },
    });
  }
  return vms;
}

export function demoEstate(): FakeEstate {
  const synthetic = generateSyntheticEstate({ subscriptions: 2, virtualNetworks: 8, subnets: 40, networkInterfaces: 240, seed: 42 });
  const bank: readonly FakeResource[] = bankResources();
  const resources: FakeResource[] = [...bank, ...demoVirtualMachines(bank), ...synthetic.resources.filter(isResource)];
  const names = ['Contoso Bank Hub', 'Contoso Payments', 'Landing zone A', 'Landing zone B'];
  const subscriptions = subscriptionsOf(resources).map((subscriptionId, i) => ({ subscriptionId, displayName: names[i] ?? `Subscription ${i + 1}` }));
  const nics = resources.filter((r) => r.type.toLowerCase() === 'microsoft.network/networkinterfaces' && r.properties['virtualMachine'] !== undefined);
  const natGateways = resources.filter((r) => r.type.toLowerCase() === 'microsoft.network/natgateways');
  const firewalls = resources.filter((r) => r.type.toLowerCase() === 'microsoft.network/azurefirewalls');
  const metrics = new Map<string, readonly number[]>();
  natGateways.forEach((n, i) => {
    metrics.set(`${n.id.toLowerCase()}|snatconnectioncount`, Array.from({ length: 24 }, (_, h) => (i === 0 && h > 18 ? 40 + h : 0)));
    metrics.set(`${n.id.toLowerCase()}|packetdropcount`, Array.from({ length: 24 }, () => 0));
    // Bytes per hour by Direction (Out: requests and uploads; In: the answers, larger), busier by day.
    const mib = 1024 ** 2;
    metrics.set(`${n.id.toLowerCase()}|bytecount|direction=Out`, Array.from({ length: 24 }, (_, h) => (h >= 7 && h < 19 ? 180 : 40) * mib * (i + 1)));
    metrics.set(`${n.id.toLowerCase()}|bytecount|direction=In`, Array.from({ length: 24 }, (_, h) => (h >= 7 && h < 19 ? 620 : 90) * mib * (i + 1)));
  });
  firewalls.forEach((f, i) => {
    metrics.set(`${f.id.toLowerCase()}|snatportutilization`, Array.from({ length: 24 }, (_, h) => (i === 0 ? 20 + h * 2 : 5)));
    metrics.set(`${f.id.toLowerCase()}|dataprocessed`, Array.from({ length: 24 }, (_, h) => Math.round((i === 0 ? 1.5 + (h % 4) * 0.25 : 0.2) * 1024 ** 3)));
  });
  return {
    tenantId: DEMO_TENANT_ID,
    subscriptions: [...subscriptions, { subscriptionId: DEMO_FORBIDDEN_SUBSCRIPTION, displayName: 'Contoso Legacy (no access)' }],
    resources,
    effectiveRoutes: new Map(Object.entries(synthetic.effectiveRouteTables).map(([k, v]) => [k, v.value])),
    // The first VM NIC's VM is deallocated: the sampler records a gap and tries another NIC.
    stoppedVmNicIds: nics.slice(0, 1).map((n) => n.id),
    metrics,
    workspaces: new Map([
      [DEMO_WORKSPACE_ID, { access: 'ok' as const, tables: demoWorkspaceTables() }],
      [DEMO_FORBIDDEN_WORKSPACE_ID, { access: 'forbidden' as const, tables: new Map() }],
    ]),
  };
}

export function startDemoAzure(clock?: Clock): Promise<FakeArm> {
  return startFakeArm({
    estate: demoEstate(),
    ...(clock ? { clock } : {}),
    faults: {
      latencyMs: 60,
      armThrottle: { burst: 250, perSecond: 25 },
      graphQuota: { queries: 15, windowMs: 5_000 },
      forbiddenSubscriptions: [DEMO_FORBIDDEN_SUBSCRIPTION],
      // A throttled moment: the first two effective-route reads get 429 + Retry-After: 1.
      throttles: [{ match: /^POST .*\/effectiveRouteTable$/i, times: 2 }],
      throttleRetryAfterSeconds: 1,
      armPageSize: 50,
      lroPendingPolls: 2,
    },
  });
}
