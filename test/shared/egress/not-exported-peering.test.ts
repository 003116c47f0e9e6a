/**
 * What the input still shows of a resource it does not hold, kept so the source it governs is not
 * judged as if it did not exist (classes C and D):
 *  - C: a hub virtual network connection whose virtual hub is not in the input still names its
 *    spoke (`remoteVirtualNetwork`): the spoke is connected to a Virtual WAN hub whose routes the
 *    input lacks, as one whose `RemoteVnetToHubPeering_` peering has no hub connection is
 *    (vwan-unseen-hub.test.ts). [VWANROUTING] https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing
 *  - D: one side of a VNet peering missing while the other still says Connected. "Though deleting
 *    the peering from one virtual network disables the communication between the virtual networks,
 *    it does not delete the peering from the other virtual network. The peering status for the
 *    peering that exists in the other virtual network is Disconnected" [PEERMANAGE]
 *    https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering
 *    (MicrosoftDocs/azure-docs articles/virtual-network/virtual-network-manage-peering.md, "Delete a
 *    peering"): Connected means both exist, so the missing one was not exported; read as a peering
 *    whose state is not known.
 * Controls: both sides present, and a real Disconnected peering, answer as before. Saved snapshots,
 * snapshots merged with exports, and snapshots merged with each other keep both facts, and drop
 * them once the merged input holds what they stood for (class F).
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm';
import { resolveEgress } from '../../../shared/egress';
import { explainPath } from '../../../shared/egress/explain';
import { demoBundle as bundle, demoEstate as estate, resourceNamed as resource, type DemoName, type MutableJson as Json } from '../../support/demo-bundle';
import type { Gap } from '../../../shared/model/gaps';
import type { CapturedEffectiveRoutes, NetworkModel } from '../../../shared/model/topology';
import { formatSnapshot, parseSnapshotText } from '../../../electron/snapshot/snapshot';
import { snapshotFromTexts } from '../../../electron/snapshot/load';

type EstateName = DemoName;
const OPTIONS = { toolVersion: '9.9.9-test', now: () => new Date('2026-11-26T06:00:00.000Z') };

function dropResource(json: Json, name: string): Json {
  json.resources = (json.resources as Json[]).filter((r) => r.name !== name);
  return json;
}

function dropPeering(json: Json, vnet: string, peering: string): Json {
  const props = resource(json, vnet).properties;
  const before = (props.virtualNetworkPeerings as Json[]).length;
  props.virtualNetworkPeerings = (props.virtualNetworkPeerings as Json[]).filter((p) => p.name !== peering);
  if (props.virtualNetworkPeerings.length !== before - 1) throw new Error(`no peering ${peering}`);
  return json;
}

function peeringOf(json: Json, vnet: string, peering: string): Json {
  const found = (resource(json, vnet).properties.virtualNetworkPeerings as Json[]).find((p) => p.name === peering);
  if (found === undefined) throw new Error(`no peering ${peering}`);
  return found;
}

interface Input {
  readonly model: NetworkModel;
  readonly effectiveRoutes: readonly CapturedEffectiveRoutes[];
  readonly gaps: readonly Gap[];
}

function normalized(name: EstateName, json: Json): Input {
  return normalizeArm([{ fileName: `${name}.json`, json }]);
}

/** Saved as a snapshot, then read back. */
function reloaded(name: EstateName, json: Json): Input {
  const snapshot = snapshotFromTexts([{ name: `${name}.json`, text: JSON.stringify(json) }], OPTIONS);
  return parseSnapshotText(formatSnapshot(snapshot), `${name}.snapshot.json`);
}

/** A snapshot of `base` merged with an export file holding `extra` resources. */
function merged(name: EstateName, base: Json, extra: readonly Json[]): Input {
  const snapshot = snapshotFromTexts([{ name: `${name}.json`, text: JSON.stringify(base) }], OPTIONS);
  return snapshotFromTexts([
    { name: `${name}.snapshot.json`, text: formatSnapshot(snapshot) },
    { name: 'extra.json', text: JSON.stringify({ resources: extra }) },
  ], OPTIONS);
}

function pathOf(name: EstateName, input: Input, source: string, destination: string | null) {
  const result = resolveEgress({ model: input.model, effectiveRoutes: input.effectiveRoutes, metrics: [], gaps: input.gaps, serviceTags: estate(name).serviceTags }, { destination });
  const path = result.paths.find((p) => p.source.id.endsWith(`/${source.toLowerCase()}`));
  if (path === undefined) throw new Error(`no path for ${source}`);
  return path;
}

function said(name: EstateName, input: Input, source: string, destination: string | null = null): string {
  const path = pathOf(name, input, source, destination);
  return `${path.verdict}/${path.exit ?? '-'}`;
}

function missingFact(name: EstateName, input: Input, source: string, destination: string | null = null): string {
  const explanation = explainPath(pathOf(name, input, source, destination));
  return JSON.stringify(explanation);
}

describe('C. a hub connection whose virtual hub is not in the input still makes its VNet a spoke', () => {
  const withoutHub = (): Json => dropResource(bundle('training'), 'vhub-training-weu');

  it('control: with the hub, snet-15 goes to the internet through the hub firewall, as before', () => {
    const input = normalized('training', bundle('training'));
    expect(said('training', input, 'snet-15-vwan-routing-intent')).toBe('internet/public-ip');
    expect(input.model.virtualNetworks.some((v) => v.unseenHubConnectionIds !== undefined)).toBe(false);
  });

  it('without the hub, snet-15 is unknown (not default outbound), naming the connection and the hub', () => {
    const input = normalized('training', withoutHub());
    const spoke = input.model.virtualNetworks.find((v) => v.name === 'vnet-training-vwan-spoke-a');
    expect(spoke?.unseenHubConnectionIds?.map((id) => id.split('/').pop())).toEqual(['conn-spoke-a']);
    expect(said('training', input, 'snet-15-vwan-routing-intent')).toBe('unknown/-');
    expect(missingFact('training', input, 'snet-15-vwan-routing-intent')).toMatch(/conn-spoke-a[^"]*vhub-training-weu/);
  });

  it('without the hub, spoke-b to 8.8.8.8 stays unknown (not default outbound)', () => {
    expect(said('training', normalized('training', withoutHub()), 'snet-16-vwan-no-internet-security', '8.8.8.8')).toBe('unknown/-');
  });

  it('a saved snapshot keeps it', () => {
    const input = reloaded('training', withoutHub());
    expect(input.model.virtualNetworks.find((v) => v.name === 'vnet-training-vwan-spoke-a')?.unseenHubConnectionIds).toHaveLength(1);
    expect(said('training', input, 'snet-15-vwan-routing-intent')).toBe('unknown/-');
  });

  it('an export of the connection alone, merged with a snapshot holding the spoke and no hub, keeps it', () => {
    const json = withoutHub();
    const connection = resource(json, 'conn-spoke-a');
    const input = merged('training', dropResource(json, 'conn-spoke-a'), [connection]);
    expect(said('training', input, 'snet-15-vwan-routing-intent')).toBe('unknown/-');
  });
});

describe('D. a peering whose other side is Connected exists, though not exported', () => {
  const bankWithout = (): Json => dropPeering(bundle('bank'), 'vnet-card-auth-weu', 'peer-vnet-card-auth-weu-to-hub');

  it('control: both sides present, snet-card-auth goes out through the hub as before, nothing inferred', () => {
    const input = normalized('bank', bundle('bank'));
    expect(said('bank', input, 'snet-card-auth')).toBe('internet/nat-gateway');
    expect(input.model.virtualNetworks.some((v) => v.peerings.some((p) => p.inferredFrom !== undefined))).toBe(false);
  });

  it('bank: spoke link missing, hub link Connected: unknown naming the missing peering, with a gap', () => {
    const input = normalized('bank', bankWithout());
    const inferred = input.model.virtualNetworks.find((v) => v.name === 'vnet-card-auth-weu')?.peerings.find((p) => p.inferredFrom !== undefined);
    expect(inferred).toMatchObject({ peeringState: 'Unknown' });
    expect(inferred?.inferredFrom).toMatch(/\/peer-hub-to-vnet-card-auth-weu$/);
    expect(input.gaps.some((g) => g.scope === inferred?.id && /not exported/.test(g.message))).toBe(true);
    expect(said('bank', input, 'snet-card-auth')).toBe('unknown/-');
    expect(missingFact('bank', input, 'snet-card-auth')).toMatch(/not-exported-pair-of-peer-hub-to-vnet-card-auth-weu/);
  });

  it('bank: payments spoke to api.stripe.com (allowed by the hub firewall) is unknown, not dropped', () => {
    const json = dropPeering(bundle('bank'), 'vnet-payments-api-weu', 'peer-vnet-payments-api-weu-to-hub');
    expect(said('bank', normalized('bank', json), 'snet-payments-api', 'api.stripe.com')).toBe('unknown/-');
  });

  it('manufacturer: peer-apps-to-hub missing, peer-hub-to-apps Connected: snet-aca-jobs unknown', () => {
    expect(said('manufacturer', normalized('manufacturer', bundle('manufacturer')), 'snet-aca-jobs')).toBe('internet/nat-gateway');
    const json = dropPeering(bundle('manufacturer'), 'vnet-mfg-apps-neu', 'peer-apps-to-hub');
    expect(said('manufacturer', normalized('manufacturer', json), 'snet-aca-jobs')).toBe('unknown/-');
  });

  it('control: a real Disconnected peering (the other side deleted) infers nothing and is dropped as before', () => {
    const json = bankWithout();
    peeringOf(json, 'vnet-hub-weu', 'peer-hub-to-vnet-card-auth-weu').properties.peeringState = 'Disconnected';
    const input = normalized('bank', json);
    expect(input.model.virtualNetworks.some((v) => v.peerings.some((p) => p.inferredFrom !== undefined))).toBe(false);
    expect(said('bank', input, 'snet-card-auth')).toBe('dropped/-');
  });

  it('a saved snapshot keeps the inferred peering', () => {
    const input = reloaded('bank', bankWithout());
    expect(input.model.virtualNetworks.find((v) => v.name === 'vnet-card-auth-weu')?.peerings.some((p) => p.inferredFrom !== undefined)).toBe(true);
    expect(said('bank', input, 'snet-card-auth')).toBe('unknown/-');
  });

  it('merged with an export that holds the spoke with its peering, the stand-in goes and the answer is confident again', () => {
    const spoke = resource(bundle('bank'), 'vnet-card-auth-weu');
    const input = merged('bank', bankWithout(), [spoke]);
    expect(input.model.virtualNetworks.some((v) => v.peerings.some((p) => p.inferredFrom !== undefined))).toBe(false);
    expect(said('bank', input, 'snet-card-auth')).toBe('internet/nat-gateway');
  });

  /*
   * The remote (hub) side allows gateway transit; that permits useRemoteGateways on the peering not
   * exported, it does not show it is set. The stand-in leaves it false, and the spoke's answer stays
   * unknown (the peering's state and settings are not known), not a confident one.
   */
  it('the stand-in does not take useRemoteGateways from the remote side allowing gateway transit, and the answer stays unknown', () => {
    const json = bankWithout();
    expect(peeringOf(json, 'vnet-hub-weu', 'peer-hub-to-vnet-card-auth-weu').properties.allowGatewayTransit).toBe(true);
    const input = normalized('bank', json);
    const inferred = input.model.virtualNetworks.find((v) => v.name === 'vnet-card-auth-weu')?.peerings.find((p) => p.inferredFrom !== undefined);
    expect(inferred?.useRemoteGateways).toBe(false);
    expect(said('bank', input, 'snet-card-auth')).toBe('unknown/-');
  });
});

describe('F. snapshots merged with each other read the same facts as the same inputs loaded together', () => {
  const snapshotText = (name: string, json: Json): string => formatSnapshot(snapshotFromTexts([{ name: `${name}.json`, text: JSON.stringify(json) }], OPTIONS));

  /*
   * The bank estate split in two saved snapshots: the hub subscription's, and the spoke
   * vnet-card-auth-weu's whose file lost its peering to the hub. Merged with no export among the
   * inputs, the hub's Connected peering must still stand for the spoke's (it was left confident,
   * `dropped`, while the same two files loaded as exports answer unknown).
   */
  it('two snapshots merged answer as the same two exports loaded together', () => {
    const bank = bundle('bank');
    const spoke = structuredClone(resource(bank, 'vnet-card-auth-weu'));
    spoke.properties.virtualNetworkPeerings = (spoke.properties.virtualNetworkPeerings as Json[]).filter((p) => p.name !== 'peer-vnet-card-auth-weu-to-hub');
    const hubSide = { ...bank, resources: (bank.resources as Json[]).filter((r) => r.name !== 'vnet-card-auth-weu') };
    const spokeSide = { resources: [spoke] };
    const together = snapshotFromTexts([{ name: 'hub.json', text: JSON.stringify(hubSide) }, { name: 'spoke.json', text: JSON.stringify(spokeSide) }], OPTIONS);
    const mergedSnapshots = snapshotFromTexts([{ name: 'hub.snapshot.json', text: snapshotText('hub', hubSide) }, { name: 'spoke.snapshot.json', text: snapshotText('spoke', spokeSide) }], OPTIONS);
    expect(said('bank', together, 'snet-card-auth')).toBe('unknown/-');
    expect(said('bank', mergedSnapshots, 'snet-card-auth')).toBe(said('bank', together, 'snet-card-auth'));
    expect(missingFact('bank', mergedSnapshots, 'snet-card-auth')).toMatch(/not-exported-pair-of-peer-hub-to-vnet-card-auth-weu/);
  });

  /*
   * A snapshot of the spoke alone inferred a stand-in (the hub's peering Connected, the spoke's
   * lost); merged with a snapshot holding the spoke's real peering, the stand-in and its gap go.
   */
  it("a snapshot's stand-in peering and its gap go when another snapshot holds the real peering", () => {
    const bankWithout = dropPeering(bundle('bank'), 'vnet-card-auth-weu', 'peer-vnet-card-auth-weu-to-hub');
    const stale = snapshotFromTexts([{ name: 'old.snapshot.json', text: snapshotText('old', bankWithout) }, { name: 'spoke.snapshot.json', text: snapshotText('spoke', { resources: [resource(bundle('bank'), 'vnet-card-auth-weu')] }) }], OPTIONS);
    expect(stale.model.virtualNetworks.some((v) => v.peerings.some((p) => p.inferredFrom !== undefined))).toBe(false);
    expect(stale.gaps.some((g) => g.scope.includes('not-exported-pair-of-'))).toBe(false);
    expect(said('bank', stale, 'snet-card-auth')).toBe('internet/nat-gateway');
  });

  /*
   * A snapshot taken without the virtual hub marks spoke A as connected to an unseen hub; merged
   * with an export holding the hub and its connection, the mark is stale and the hub answers.
   */
  it("a spoke's unseen-hub mark goes once the merged input holds the hub", () => {
    const ofHub = (r: Json): boolean => (r.id as string).toLowerCase().includes('/virtualhubs/vhub-training-weu');
    const training = bundle('training');
    const base = { ...training, resources: (training.resources as Json[]).filter((r) => !ofHub(r) || r.name === 'conn-spoke-a') };
    expect(reloaded('training', base).model.virtualNetworks.find((v) => v.name === 'vnet-training-vwan-spoke-a')?.unseenHubConnectionIds).toHaveLength(1);
    const input = merged('training', base, (training.resources as Json[]).filter(ofHub));
    expect(input.model.virtualNetworks.find((v) => v.name === 'vnet-training-vwan-spoke-a')?.unseenHubConnectionIds).toBeUndefined();
    expect(said('training', input, 'snet-15-vwan-routing-intent')).toBe('internet/public-ip');
  });
});
