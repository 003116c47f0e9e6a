/**
 * `reach` against `resolve --destination` (see reach-consistency.test.ts for the contract) on two
 * defects a review found, both older than the port/protocol rework:
 * - an open path through an Azure Firewall stated the opening rule's ports as reached although a
 *   Deny rule processed before it names some of them (README, mayReach row: ports "a Deny rule
 *   processed before it names (and the judged port not)" are "may reach");
 * - a route other than the default route that sends a public prefix elsewhere (0/0 → firewall,
 *   20.1.0.0/16 → Internet around it) was left out of reach entirely, so a `mayReach` control passed
 *   on a subnet with a direct, uninspected path. Reach now asks the engine about each such prefix
 *   like the default route (README, reach section).
 */
import { describe, expect, it } from 'vitest';
import type { ResolveInput } from '../../../shared/egress/index';
import { computeReach, type ReachSource } from '../../../shared/egress/reach';
import type { ServiceTagSet } from '../../../shared/model/service-tags';
import { applicationRule, effectiveRoute, ModelBuilder, networkRule, securityRule } from '../../support/model-builder';
import { entryCovers, inputOf, listing, pathTo, reachOf, type Transport } from './reach-agreement';
import { HUB_FIREWALL_IP, hubSpokeFirewall } from './support';

/** Entries claiming the flow gets out (verdict internet, nothing excepted). */
function claims(reach: ReachSource, ip: string, port: number, transport: Transport, tagged: readonly string[] = []): string[] {
  return reach.allowed.filter((e) => e.verdict === 'internet' && (e.except ?? []).length === 0 && entryCovers(e, ip, port, transport, tagged))
    .map((e) => `${e.kind} ${e.value} ${e.protocols.join('/')} ${e.ports.join(',')}`);
}


function stated(reach: ReachSource): string[] {
  return reach.allowed.map((e) => `${e.kind} ${e.value} ${e.protocols.join('/')} ${e.ports.join(',')} ${e.verdict}${e.except ? ` except ${e.except.join(',')}` : ''}`);
}

const FLOWS: readonly (readonly [number, Transport])[] = [[443, 'Tcp'], [80, 'Tcp'], [22, 'Tcp'], [53, 'Udp'], [443, 'Udp']];

/**
 * The contract on these flows: each flow resolve lets out is covered (internet or "may reach"),
 * and none an entry claims is one resolve stops.
 */
function agreement(input: ResolveInput, sourceId: string, ips: readonly string[], subnetId?: string, tagged: (ip: string) => readonly string[] = () => []): string[] {
  const reach = reachOf(input, sourceId);
  const problems: string[] = [];
  for (const ip of ips) {
    for (const [port, transport] of FLOWS) {
      const verdict = pathTo(input, `${ip}:${port}/${transport.toLowerCase()}`, sourceId, subnetId).verdict;
      if (verdict === 'internet' && listing(reach, ip, port, transport, tagged(ip)).length === 0) problems.push(`${ip}:${port}/${transport}: resolve internet, not listed`);
      const claimed = claims(reach, ip, port, transport, tagged(ip));
      if (claimed.length > 0 && verdict !== 'internet' && verdict !== 'unknown') problems.push(`${ip}:${port}/${transport}: resolve ${verdict}, claimed by ${claimed.join('; ')}`);
    }
  }
  return problems;
}

describe('reach: an open path through a firewall and a Deny rule processed before the opening rule', () => {
  /**
   * Spoke subnet `app` (no NSG) routes 0/0 to the hub Azure Firewall: network rule Deny TCP 80
   * (priority 100) before Allow TCP 80 and 443 to any address. resolve: 8.8.8.8:443/tcp internet,
   * 8.8.8.8:80/tcp denied. Reach stated `any * Tcp 80,443 internet`; now TCP 443 is reached and TCP
   * 80 "may reach".
   */
  it('network rules: TCP 443 reached, TCP 80 "may reach", never claimed', () => {
    const { b, app } = hubSpokeFirewall([
      networkRule('deny-http', { action: 'Deny', collection: 'deny', priority: 100, destinationAddresses: ['*'], destinationPorts: ['80'] }),
      networkRule('web', { priority: 200, destinationAddresses: ['*'], destinationPorts: ['80', '443'] }),
    ]);
    const input = inputOf(b);
    expect(pathTo(input, '8.8.8.8:443/tcp', app).verdict).toBe('internet');
    expect(pathTo(input, '8.8.8.8:80/tcp', app).verdict).toBe('denied');
    const reach = reachOf(input, app);
    expect(reach.unrestricted).toBe(true);
    expect(stated(reach)).toEqual(['any * Tcp 443 internet', 'any * Tcp 80 unknown']);
    expect(reach.allowed[1]?.rule).toContain('Deny rule deny/deny-http (processed before it)');
    expect(claims(reach, '8.8.8.8', 80, 'Tcp')).toEqual([]);
    expect(agreement(input, app, ['8.8.8.8', '1.1.1.1'])).toEqual([]);
  });

  /** An allow-all (Any, `*`) after the Deny on TCP 80: every port but TCP 80 reached, TCP 80 "may reach". */
  it('an allow-all after a Deny on TCP 80 claims every other port, not TCP 80', () => {
    const { b, app } = hubSpokeFirewall([
      networkRule('deny-http', { action: 'Deny', collection: 'deny', priority: 100, destinationAddresses: ['*'], destinationPorts: ['80'] }),
      networkRule('all', { priority: 200, destinationAddresses: ['*'], destinationPorts: ['*'], protocols: ['Any'] }),
    ]);
    const input = inputOf(b);
    expect(pathTo(input, '1.1.1.1:80/tcp', app).verdict).toBe('denied');
    const reach = reachOf(input, app);
    expect(stated(reach)).toEqual(['any * Tcp 0-79,81-65535 internet', 'any * Udp * internet', 'any * Tcp 80 unknown']);
    expect(claims(reach, '1.1.1.1', 80, 'Tcp')).toEqual([]);
    expect(agreement(input, app, ['1.1.1.1'])).toEqual([]);
  });

  /** Application rules: Deny Http:80 to `*` before Allow Http:80 and Https:443 to `*`. */
  it('application rules: HTTP "may reach", HTTPS reached', () => {
    const { b, app } = hubSpokeFirewall([
      applicationRule('deny-http', ['*'], { action: 'Deny', collection: 'deny', priority: 100, protocols: ['Http:80'] }),
      applicationRule('web', ['*'], { priority: 200, protocols: ['Http:80', 'Https:443'] }),
    ]);
    const input = inputOf(b);
    expect(pathTo(input, '8.8.8.8:80/tcp', app).verdict).toBe('denied');
    const reach = reachOf(input, app);
    expect(stated(reach)).toEqual(['any * Tcp 443 internet', 'any * Tcp 80 unknown']);
    expect(claims(reachOf(input, app), '8.8.8.8', 80, 'Tcp')).toEqual([]);
  });

  /**
   * NIC vm1 follows its subnet on TCP 443, but its own NSG denies UDP, so reach answers for it on
   * its own (`followsSubnet`): its open path through the firewall gets the same split.
   */
  it('a NIC that follows its subnet gets the same split', () => {
    const { b, app } = hubSpokeFirewall([
      networkRule('deny-http', { action: 'Deny', collection: 'deny', priority: 100, destinationAddresses: ['*'], destinationPorts: ['80'] }),
      networkRule('all', { priority: 200, destinationAddresses: ['*'], destinationPorts: ['*'], protocols: ['Any'] }),
    ]);
    const vm1 = b.nic(app, 'vm1', '10.1.1.4', { nsgId: b.nsg('nsg-vm1', [securityRule('deny-udp', 100, 'Deny', '*', { protocol: 'Udp' })]) });
    const input = inputOf(b);
    const reach = reachOf(input, vm1);
    expect(reach.followsSubnet).toBe(true);
    expect(stated(reach)).toEqual(['any * Tcp 0-79,81-65535 internet', 'any * Tcp 80 unknown']);
    expect(agreement(input, vm1, ['1.1.1.1'], app)).toEqual([]);
  });

  /**
   * Found by the property below once it drew a rule pair: Deny TCP 443 to 8.8.8.0/24, then Allow
   * TCP and UDP 443 to `*`. The judged flow (TCP 443) gets out restricted to every address but
   * 8.8.8.0/24, and that restriction was stated for UDP 443 too, which the Deny does not name:
   * resolve 8.8.8.8:443/udp is internet, reach listed nothing for it. Now UDP 443 is "may reach".
   */
  it('a Deny naming the judged flow on one protocol leaves the other "may reach", not dropped', () => {
    const { b, app } = hubSpokeFirewall([
      networkRule('deny-8', { action: 'Deny', collection: 'deny', priority: 100, destinationAddresses: ['8.8.8.0/24'], destinationPorts: ['443'], protocols: ['TCP'] }),
      networkRule('https', { priority: 200, destinationAddresses: ['*'], destinationPorts: ['443'], protocols: ['TCP', 'UDP'] }),
    ]);
    const input = inputOf(b);
    expect(pathTo(input, '8.8.8.8:443/udp', app).verdict).toBe('internet');
    const reach = reachOf(input, app);
    expect(listing(reach, '8.8.8.8', 443, 'Udp')).toEqual(['any * TCP/UDP 443 unknown']);
    expect(claims(reach, '8.8.8.8', 443, 'Tcp')).toEqual([]);
    expect(claims(reach, '9.9.9.9', 443, 'Tcp')).toEqual(['cidr 9.0.0.0/8 TCP 443']);
    expect(agreement(input, app, ['8.8.8.8', '9.9.9.9'])).toEqual([]);
  });
});

describe('reach: routes other than the default route that send a public prefix out', () => {
  /** Spoke subnet `app` with 0/0 → the hub firewall (which allows only 8.8.8.0/24 on TCP 443) and these routes. */
  function estate(routes: readonly { readonly prefix: string; readonly nextHopType: string; readonly nextHopIp?: string }[]) {
    const built = hubSpokeFirewall([networkRule('r', { destinationAddresses: ['8.8.8.0/24'], destinationPorts: ['443'] })]);
    const { b, app } = built;
    b.updateSubnet(app, { routeTableId: b.routeTable('rt-bypass', [{ prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }, ...routes]) });
    return built;
  }

  /**
   * 20.1.0.0/16 → Internet around the firewall. resolve lets 20.1.2.3 out on every port; reach
   * listed only the firewall's allow. Now the prefix is an entry of its own, judged like the
   * default route (no NSG: every port of both protocols), naming the route.
   */
  it('a UDR to the Internet next hop: the prefix is reached on every port', () => {
    const { b, app } = estate([{ prefix: '20.1.0.0/16', nextHopType: 'Internet' }]);
    const input = inputOf(b);
    for (const [port, transport] of [[443, 'Tcp'], [80, 'Tcp'], [53, 'Udp']] as const) {
      expect(pathTo(input, `20.1.2.3:${port}/${transport.toLowerCase()}`, app).verdict).toBe('internet');
    }
    const reach = reachOf(input, app);
    expect(stated(reach)).toEqual(['cidr 8.8.8.0/24 TCP 443 internet', 'cidr 20.1.0.0/16 Tcp/Udp * internet']);
    expect(reach.allowed[1]?.rule).toBe('route rt-bypass/route-2: 20.1.0.0/16 → Internet');
    expect(reach.unrestricted).toBe(false);
    expect(agreement(input, app, ['20.1.2.3', '8.8.8.8', '9.9.9.9'])).toEqual([]);
  });

  /** The subnet's NSG denies TCP 80: the prefix's entries are its NSG classes, TCP 80 left out as resolve denies it. */
  it('the prefix is judged on the source NSG\'s port classes', () => {
    const { b, app } = estate([{ prefix: '20.1.0.0/16', nextHopType: 'Internet' }]);
    b.updateSubnet(app, { networkSecurityGroupId: b.nsg('nsg-app', [securityRule('deny-80', 100, 'Deny', '*', { protocol: 'Tcp', destinationPortRanges: ['80'] })]) });
    const input = inputOf(b);
    expect(pathTo(input, '20.1.2.3:80/tcp', app).verdict).toBe('denied');
    const reach = reachOf(input, app);
    expect(stated(reach)).toEqual(['cidr 8.8.8.0/24 TCP 443 internet', 'cidr 20.1.0.0/16 Tcp 0-79,81-65535 internet', 'cidr 20.1.0.0/16 Udp * internet']);
    expect(agreement(input, app, ['20.1.2.3'])).toEqual([]);
  });

  /** 20.1.0.0/16 → another appliance (an NVA in the hub with a public IP): what resolve says there, every port (its own rules are not in the input). */
  it('a UDR to another appliance', () => {
    const { b, app, hub } = estate([{ prefix: '20.1.0.0/16', nextHopType: 'VirtualAppliance', nextHopIp: '10.0.2.4' }]);
    b.nic(b.subnet(hub, 'nva', '10.0.2.0/24'), 'nva-nic', '10.0.2.4', { ipForwarding: true, publicIpId: b.publicIp('nva-pip', '20.0.0.20') });
    const input = inputOf(b);
    expect(pathTo(input, '20.1.2.3:80/tcp', app).verdict).toBe('internet');
    const reach = reachOf(input, app);
    expect(listing(reach, '20.1.2.3', 80, 'Tcp')).toEqual(['cidr 20.1.0.0/16 Tcp/Udp * internet']);
    expect(agreement(input, app, ['20.1.2.3'])).toEqual([]);
  });

  /** A route to None drops the prefix: nothing to add. */
  it('a UDR to None adds nothing', () => {
    const { b, app } = estate([{ prefix: '30.0.0.0/8', nextHopType: 'None' }]);
    const input = inputOf(b);
    expect(pathTo(input, '30.1.1.1:443/tcp', app).verdict).toBe('dropped');
    expect(stated(reachOf(input, app))).toEqual(['cidr 8.8.8.0/24 TCP 443 internet']);
  });

  /**
   * A split default route (0.0.0.0/1 + 128.0.0.0/1 → Internet) beside 0/0 → firewall: the engine's
   * default route already takes the split (every public address), so the source is unrestricted.
   */
  it('a split default route is the default route', () => {
    const { b, app } = estate([{ prefix: '0.0.0.0/1', nextHopType: 'Internet' }, { prefix: '128.0.0.0/1', nextHopType: 'Internet' }]);
    const input = inputOf(b);
    const reach = reachOf(input, app);
    expect(reach.unrestricted).toBe(true);
    expect(stated(reach)).toEqual(['any * Tcp/Udp * internet']);
    expect(agreement(input, app, ['20.1.2.3', '200.1.1.1'])).toEqual([]);
  });

  /**
   * A UDR on a service tag (`AzureCloud` → Internet). Without tag data resolve cannot say which
   * addresses it carries (unknown): the tag is "may reach". With data it is reached on every port.
   */
  it('a service tag UDR: "may reach" without tag data, reached with it', () => {
    const { b, app } = estate([{ prefix: 'AzureCloud', nextHopType: 'Internet' }]);
    const without = inputOf(b);
    expect(pathTo(without, '20.1.2.3:80/tcp', app).verdict).toBe('unknown');
    expect(stated(reachOf(without, app))).toContain('service-tag AzureCloud Tcp/Udp * unknown');
    const tags: ServiceTagSet = { changeNumber: 1, cloud: 'Public', tags: [{ name: 'AzureCloud', region: '', systemService: '', addressPrefixes: ['20.1.0.0/16', '40.0.0.0/8'], networkFeatures: ['NSG', 'UDR', 'FW'] }] };
    const withData = inputOf(b, { serviceTags: tags });
    expect(pathTo(withData, '40.1.1.1:53/udp', app).verdict).toBe('internet');
    const reach = reachOf(withData, app);
    expect(stated(reach)).toEqual(['cidr 8.8.8.0/24 TCP 443 internet', 'service-tag AzureCloud Tcp/Udp * internet']);
    const tagged = (ip: string): readonly string[] => (ip.startsWith('20.1.') || ip.startsWith('40.') ? ['AzureCloud'] : []);
    expect(agreement(withData, app, ['20.1.2.3', '40.1.1.1', '8.8.8.8'], undefined, tagged)).toEqual([]);
  });

  /** The route is only in a NIC's captured effective routes (the route table sends 0/0 to the firewall alone). */
  it('a captured effective route', () => {
    const { b, app } = estate([]);
    const vm = b.nic(app, 'vm1', '10.1.1.4');
    const effectiveRoutes = [{ networkInterfaceId: vm, routes: [
      effectiveRoute('10.1.0.0/16', 'VnetLocal'), effectiveRoute('10.0.0.0/16', 'VNetPeering'),
      effectiveRoute('0.0.0.0/0', 'VirtualAppliance', { source: 'User', nextHopIpAddresses: [HUB_FIREWALL_IP] }),
      effectiveRoute('20.1.0.0/16', 'Internet', { source: 'User' }),
    ] }];
    const input = inputOf(b, { effectiveRoutes });
    expect(pathTo(input, '20.1.2.3:80/tcp', app).verdict).toBe('internet');
    const reach = reachOf(input, app);
    expect(listing(reach, '20.1.2.3', 80, 'Tcp')).toEqual(['cidr 20.1.0.0/16 Tcp/Udp * internet']);
    expect(reach.allowed.find((e) => e.value === '20.1.0.0/16')?.rule).toBe('route captured on NIC vm1: 20.1.0.0/16 → Internet');
    expect(agreement(input, app, ['20.1.2.3', '8.8.8.8'])).toEqual([]);
  });

  /**
   * The other way round: the default route goes straight out (no 0/0 UDR) and 20.0.0.0/8 → the
   * firewall, which allows `*` on TCP 443 only. `any * every port` claimed 20.1.2.3:80, which the
   * firewall denies: the open entry now excepts 20.0.0.0/8, whose own entries say TCP 443 is reached
   * and the rest "may reach".
   */
  it('an open default route excepts a prefix routed to a firewall', () => {
    const { b, app } = hubSpokeFirewall([networkRule('https', { destinationAddresses: ['*'], destinationPorts: ['443'] })]);
    b.updateSubnet(app, { routeTableId: b.routeTable('rt-some', [{ prefix: '20.0.0.0/8', nextHopType: 'VirtualAppliance', nextHopIp: HUB_FIREWALL_IP }]) });
    const input = inputOf(b);
    expect(pathTo(input, '20.1.2.3:80/tcp', app).verdict).toBe('denied');
    expect(pathTo(input, '9.9.9.9:80/tcp', app).verdict).toBe('internet');
    const reach = reachOf(input, app);
    expect(reach.unrestricted).toBe(true);
    expect(stated(reach)).toEqual(['any * Tcp/Udp * internet except 20.0.0.0/8', 'cidr 20.0.0.0/8 TCP 443 internet', 'cidr 20.0.0.0/8 Tcp/Udp * unknown']);
    expect(agreement(input, app, ['20.1.2.3', '9.9.9.9'])).toEqual([]);
  });
});

describe('reach from an App Service integration subnet (Microsoft.Web/serverFarms)', () => {
  // "When Route All isn't enabled, NSGs are only applied to RFC1918 traffic" (azure-docs
  // articles/app-service/overview-vnet-integration.md): the subnet's NSG denying Internet does not
  // prove the apps cannot reach the internet, since Route All is a setting of each app, not in the input.
  it('an NSG deny on the subnet does not make the default route denied', () => {
    const b = new ModelBuilder();
    const nsg = b.nsg('nsg-web', [securityRule('deny-internet', 100, 'Deny', 'Internet')]);
    b.subnet(b.vnet('v', ['10.0.0.0/16']), 'web-int', '10.0.1.0/26', { delegations: ['Microsoft.Web/serverFarms'], networkSecurityGroupId: nsg });
    const source = computeReach({ model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] }).sources.find((x) => x.source.name === 'web-int');
    expect(source?.defaultRoute).toBe('unknown');
  });
});

