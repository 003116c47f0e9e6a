/**
 * Attribution (NIC IPs incl. secondary configurations, then subnet prefixes; unattributed listed),
 * aggregation, the model's view per destination, and each finding, on the bank demo with the log
 * fixtures written from the documented schemas.
 */
import { describe, expect, it } from 'vitest';
import { analyzeTraffic, buildAttributionIndex, modelViewOf, parseLogFile, TRAFFIC_SCHEMA } from '../../../shared/traffic/index';
import type { TrafficRecord, TrafficResult } from '../../../shared/traffic/index';
import { ModelBuilder } from '../../support/model-builder';
import { ALL_FIXTURES, demoInput, fixture, flowRecord, inlineLog, natEstate, totalFlows } from './support';


let bankResult: TrafficResult | null = null;
function bank(): TrafficResult {
  bankResult ??= analyzeTraffic(demoInput('bank'), ALL_FIXTURES.map(fixture));
  return bankResult;
}

function source(result: TrafficResult, name: string): TrafficResult['sources'][number] {
  const found = result.sources.find((s) => s.source.name === name);
  if (!found) throw new Error(`no source ${name}`);
  return found;
}

describe('attribution', () => {
  const b = new ModelBuilder();
  const vnet = b.vnet('vnet-a', ['10.0.0.0/16']);
  const apps = b.subnet(vnet, 'snet-apps', '10.0.1.0/24');
  b.subnet(vnet, 'snet-wide', '10.0.0.0/20');
  const nic = b.nic(apps, 'nic-multi', '10.0.1.4', { secondary: [{ privateIp: '10.0.1.10' }, { privateIp: '10.0.1.11' }] });
  const model = b.build();

  it('finds a NIC by any of its IP configurations, then the most specific subnet prefix', () => {
    const index = buildAttributionIndex(model);
    for (const ip of ['10.0.1.4', '10.0.1.10', '10.0.1.11']) expect(index.attribute(ip)).toMatchObject({ kind: 'nic', nic: { id: nic }, subnet: { id: apps } });
    expect(index.attribute('10.0.1.99')).toMatchObject({ kind: 'subnet', subnet: { id: apps } });
    expect(index.attribute('10.0.2.5')).toMatchObject({ kind: 'subnet', subnet: { name: 'snet-wide' } });
    expect(index.attribute('10.9.9.9')).toEqual({ kind: 'unattributed', reason: 'unknown-private' });
    expect(index.attribute('8.8.4.4')).toEqual({ kind: 'unattributed', reason: 'public' });
  });

  it('puts the traffic of every IP of a multi-IP NIC on the NIC, and lists unattributed sources', () => {
    const result = analyzeTraffic({ model, effectiveRoutes: [], metrics: [], gaps: [] }, [inlineLog([
      flowRecord({ sourceIp: '10.0.1.4', destination: '20.1.2.3', destinationIp: '20.1.2.3', bytes: 100 }),
      flowRecord({ sourceIp: '10.0.1.11', destination: '20.1.2.3', destinationIp: '20.1.2.3', bytes: 50, time: '2024-05-02T00:00:00.000Z' }),
      flowRecord({ sourceIp: '10.0.1.99', destination: '20.1.2.3', destinationIp: '20.1.2.3' }),
      flowRecord({ sourceIp: '10.9.9.9', destination: '20.1.2.3', destinationIp: '20.1.2.3', flows: 4 }),
    ])]);
    expect(result.sources.map((s) => [s.source.type, s.source.name, s.subnet.name])).toEqual([['nic', 'nic-multi', 'snet-apps'], ['subnet', 'snet-apps', 'snet-apps']]);
    expect(result.sources[0]?.observed).toEqual([expect.objectContaining({ destination: '20.1.2.3', flows: 2, bytes: 150, firstSeen: '2024-05-01T10:00:00.000Z', lastSeen: '2024-05-02T00:00:00.000Z' })]);
    expect(result.unattributed).toEqual([expect.objectContaining({ sourceIp: '10.9.9.9', reason: 'unknown-private', flows: 4, destinations: 1, logs: ['vnet-flow'] })]);
  });

  it('sums the bytes sent apart from the total, and leaves them unknown when a record with bytes did not split them', () => {
    // Internet data transfer out bills the bytes sent only (destinations.md §8.1); a summary row's one
    // total (§2.3 `Bytes`) mixed in makes the sent share unknown, never a partial sum.
    const split = analyzeTraffic({ model, effectiveRoutes: [], metrics: [], gaps: [] }, [inlineLog([
      flowRecord({ sourceIp: '10.0.1.4', destination: '20.1.2.3', destinationIp: '20.1.2.3', bytes: 100, bytesSent: 10 }),
      flowRecord({ sourceIp: '10.0.1.4', destination: '20.1.2.3', destinationIp: '20.1.2.3', bytes: 50, bytesSent: 5 }),
      flowRecord({ sourceIp: '10.0.1.4', destination: '20.1.2.3', destinationIp: '20.1.2.3' }),
    ])]);
    expect(split.sources[0]?.observed[0]).toMatchObject({ bytes: 150, bytesSent: 15 });
    const mixed = analyzeTraffic({ model, effectiveRoutes: [], metrics: [], gaps: [] }, [inlineLog([
      flowRecord({ sourceIp: '10.0.1.4', destination: '20.1.2.3', destinationIp: '20.1.2.3', bytes: 100, bytesSent: 10 }),
      flowRecord({ sourceIp: '10.0.1.4', destination: '20.1.2.3', destinationIp: '20.1.2.3', bytes: 50 }),
    ])]);
    expect(mixed.sources[0]?.observed[0]).toMatchObject({ bytes: 150, bytesSent: null });
  });
});

describe('the bank demo with every log format', () => {
  it('writes the egress-atlas/traffic@1 contract', () => {
    const result = bank();
    expect(result.schema).toBe(TRAFFIC_SCHEMA);
    expect(result.window).toEqual({ from: '2024-05-01T00:02:11.000Z', to: '2024-05-07T23:58:40.000Z' });
    expect(Object.keys(result)).toEqual(['schema', 'window', 'sources', 'unattributed', 'findings', 'gaps']);
    expect(Object.keys(result.sources[0]?.observed[0] ?? {})).toEqual(['destination', 'port', 'protocol', 'action', 'flows', 'bytes', 'bytesSent', 'firstSeen', 'lastSeen', 'rule', 'model']);
  });

  it('attributes to NICs, merges records of several formats, and asks the model per destination', () => {
    const api = source(bank(), 'nic-vm-payapi-01');
    expect(api.subnet.name).toBe('snet-payments-api');
    // az rows (3), the msg_s line (1): one destination, one rule.
    expect(api.observed.find((o) => o.destination === 'api.stripe.com' && o.port === 443)).toMatchObject({ flows: 4, action: 'allow', model: 'allowed', firstSeen: '2024-05-01T10:00:01.123Z', lastSeen: '2024-05-03T08:41:00.500Z' });
    expect(api.observed.find((o) => o.destination === 'example.org')).toMatchObject({ action: 'deny', model: 'denied', rule: null });
    // A firewall network rule naming an FQDN cannot be matched to an IP by the model: not modelled, not a disagreement.
    expect(api.observed.find((o) => o.destination === '168.61.215.74')).toMatchObject({ flows: 48, model: 'not-modelled' });
    expect(api.observed.find((o) => o.protocol === 'DNS')).toMatchObject({ model: 'not-modelled' });
    const reporting = source(bank(), 'nic-vm-payrpt-01');
    expect(reporting.observed.find((o) => o.destination === '140.82.112.3')).toMatchObject({ flows: 1, bytes: 1012000, model: 'allowed' });
  });

  it('lists unattributed sources: an unknown private address and a public DNAT client', () => {
    expect(bank().unattributed.map((u) => [u.sourceIp, u.reason, u.logs])).toEqual([['10.200.5.9', 'unknown-private', ['azfw-network']], ['203.0.113.50', 'public', ['azfw-nat']]]);
  });

  it('raises uninspected-public-traffic for the reporting subnet on default outbound only', () => {
    const found = bank().findings.filter((f) => f.code === 'uninspected-public-traffic');
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain('nic-vm-payrpt-01 (snet-payments-reporting) sent 3 flow(s) to 2 public address(es)');
    expect(found[0]?.message).toContain('default-outbound');
  });

  it('raises denied-traffic at the threshold, per source and destination', () => {
    const denied = bank().findings.filter((f) => f.code === 'denied-traffic').map((f) => f.message);
    expect(denied).toHaveLength(3);
    expect(denied.some((m) => m.includes('12 denied flow(s) to pypi.org:443/HTTPS'))).toBe(true);
    expect(denied.some((m) => m.includes('6 denied flow(s) to 198.51.100.7:25/TCP'))).toBe(true);
    expect(denied.some((m) => m.includes('5 denied flow(s) to 203.0.113.10:22/TCP'))).toBe(true);
    const strict = analyzeTraffic(demoInput('bank'), ALL_FIXTURES.map(fixture), { deniedThreshold: 10 });
    expect(strict.findings.filter((f) => f.code === 'denied-traffic')).toHaveLength(1);
  });

  it('raises unused-allow-rule for the allow rules of the logged policy that nothing hit', () => {
    const unused = bank().findings.filter((f) => f.code === 'unused-allow-rule');
    expect(unused.map((f) => f.subject.split('/').slice(-3).join('/'))).toEqual(['rcg-payments-egress/allow-approved-psp-apis/adyen']);
    expect(unused[0]?.severity).toBe('info');
  });

  it('raises model-disagrees both ways, and not for a flow log allow behind a firewall', () => {
    const disagree = bank().findings.filter((f) => f.code === 'model-disagrees');
    expect(disagree.map((f) => f.message)).toEqual([
      expect.stringContaining('nic-vm-payrpt-01 (snet-payments-reporting): 203.0.113.99:3389/TCP was denied'),
      expect.stringContaining('nic-vm-settle-batch-01 (snet-settlement-batch): www.visa.com:443/HTTPS was allowed'),
    ]);
  });

  it('keeps only records in the window given by since', () => {
    const result = analyzeTraffic(demoInput('bank'), ALL_FIXTURES.map(fixture), { since: '2024-05-06T00:00:00.000Z' });
    expect(result.window.from).toBe('2024-05-06T00:00:00.000Z');
    expect(result.sources.map((s) => s.source.name)).toEqual(['nic-vm-cardauth-02', 'nic-vm-settle-batch-01']);
  });
});

describe('private destinations in public ranges', () => {
  const toOwnSpace = (partial: Partial<TrafficRecord>): TrafficRecord => flowRecord({
    sourceIp: '10.0.1.4', destination: '20.40.0.5', destinationIp: '20.40.0.5', flows: 3, bytes: 900, bytesSent: 300,
    rule: { policy: null, collectionGroup: null, collection: null, rule: 'AllowVnetOutBound' }, ...partial,
  });

  it('traffic to the VNet\'s own (public-range) address space is not "uninspected public traffic"', () => {
    // README verdicts: "private | ... the destination is inside the VNet's own address space (public
    // ranges included)". 20.40.0.0/24 is vnet-a's own space; the finding uses the engine's notion.
    const { input } = natEstate();
    const result = analyzeTraffic(input, [inlineLog([toOwnSpace({})])]);
    expect(result.sources[0]?.observed[0]?.model).toBe('allowed');
    expect(result.findings.filter((f) => f.code === 'uninspected-public-traffic')).toEqual([]);
  });

  it('also where the engine cannot evaluate the destination (ICMP: no port), by the VNet\'s address space', () => {
    const { input } = natEstate();
    const result = analyzeTraffic(input, [inlineLog([toOwnSpace({ port: null, protocol: 'ICMP' })])]);
    expect(result.findings.filter((f) => f.code === 'uninspected-public-traffic')).toEqual([]);
  });

  it('a public address outside the VNet is still uninspected public traffic', () => {
    const { input } = natEstate();
    const result = analyzeTraffic(input, [inlineLog([toOwnSpace({ destination: '20.41.0.5', destinationIp: '20.41.0.5' })])]);
    expect(result.findings.filter((f) => f.code === 'uninspected-public-traffic').map((f) => f.message)).toEqual([
      'NIC nic-app-01 (snet-apps) sent 3 flow(s) to 1 public address(es) (20.41.0.5) on a path with no firewall or NVA (exit: nat-gateway).',
    ]);
  });
});

describe('--since and pre-aggregated rows', () => {
  it('a summarize row that began before --since and ended inside is counted whole, and a gap says how many rows and flows straddle the window', () => {
    // destinations.md §1.5: summarize rows carry hits, firstSeen, lastSeen. How many of a row's 120
    // hits fell after --since is not in the row: counted whole (an upper bound), never silently.
    const { input } = natEstate();
    const rows = JSON.stringify([{
      TableName: 'PrimaryResult', Type: 'AZFWNetworkRule', SourceIp: '10.0.1.4', DestinationIp: '203.0.113.50', DestinationPort: '443', Protocol: 'TCP',
      Action: 'Allow', Rule: 'allow-https', RuleCollection: 'net-allow', hits: '120', firstSeen: '2024-05-01T00:02:11Z', lastSeen: '2024-05-07T23:58:40Z',
    }, {
      TableName: 'PrimaryResult', Type: 'AZFWNetworkRule', SourceIp: '10.0.1.4', DestinationIp: '203.0.113.51', DestinationPort: '443', Protocol: 'TCP',
      Action: 'Allow', Rule: 'allow-https', RuleCollection: 'net-allow', hits: '7', firstSeen: '2024-05-07T01:00:00Z', lastSeen: '2024-05-07T02:00:00Z',
    }]);
    const result = analyzeTraffic(input, [parseLogFile('summary.json', rows)], { since: '2024-05-07T00:00:00.000Z' });
    expect(result.window.from).toBe('2024-05-07T00:00:00.000Z');
    expect([totalFlows(result, '203.0.113.50'), totalFlows(result, '203.0.113.51')]).toEqual([120, 7]);
    expect(result.gaps.filter((g) => g.scope === 'summary.json')).toEqual([{
      code: 'not-modelled', scope: 'summary.json', count: 1,
      message: '1 summarised row(s) (120 flow(s)) were first seen before --since 2024-05-07T00:00:00.000Z and last seen inside the window: how many of their flows fell inside it is not in the rows, so they are counted whole (the window\'s counts are an upper bound for them).',
    }]);
  });
});

describe('modelViewOf', () => {
  it('maps verdicts to allowed, denied or not-modelled', () => {
    expect([modelViewOf('internet'), modelViewOf('private'), modelViewOf('denied'), modelViewOf('dropped'), modelViewOf('no-outbound'), modelViewOf('unknown'), modelViewOf('on-premises')])
      .toEqual(['allowed', 'allowed', 'denied', 'denied', 'denied', 'not-modelled', 'not-modelled']);
  });
});
