/**
 * mayReach patterns keep the port and the protocol they are written with. policy.schema.json:
 * reachPattern is "Like a destination ... without a port any port is allowed. *, 0.0.0.0/0 or
 * internet allow everything"; a destination is "optionally with :port and /tcp or /udp".
 * destinations.md §6.6: a header space is ports AND protocols. So `0.0.0.0/0:443` allows any
 * destination on port 443 only, and `/udp` allows UDP only; without a suffix both are allowed.
 * Judged the same way by `check` (what rules allow) and `traffic --policy` (what was observed).
 */
import { describe, expect, it } from 'vitest';
import type { ResolveInput } from '../../../shared/egress/index';
import { checkPolicy } from '../../../shared/policy/index';
import type { ControlResult, ReachPattern } from '../../../shared/policy/index';
import { judgeObserved } from '../../../shared/traffic/index';
import type { PolicyObservation } from '../../../shared/traffic/index';
import { ModelBuilder, networkRule, securityRule } from '../../support/model-builder';
import { hubSpokeFirewall } from '../egress/support';
import { demoInput, NOW, policy } from './support';

function control(yaml: string, input = demoInput('bank')): ControlResult {
  const [c] = checkPolicy(input, policy(yaml), { now: NOW }).controls;
  if (!c) throw new Error('no control');
  return c;
}

function patternsOf(mayReach: string): readonly ReachPattern[] {
  const req = policy(`version: 1\ncontrols:\n  - { id: c, effect: deny, mayReach: ${mayReach} }\n`).controls[0]?.requirements.find((r) => r.kind === 'mayReach');
  if (!req || req.kind !== 'mayReach') throw new Error('no mayReach');
  return req.patterns;
}

function observation(o: Partial<PolicyObservation>): PolicyObservation {
  return {
    destination: '185.40.56.10', destinationIp: '185.40.56.10', port: 22, protocol: 'TCP', action: 'allow', flows: 1,
    firstSeen: null, lastSeen: null, rule: null, logs: new Set(['azfw-network']), ...o,
  };
}

const noTags = (): null => null;

describe('mayReach patterns: port and protocol as parsed', () => {
  it('keeps the port of 0.0.0.0/0:443 and the /tcp or /udp suffix; leaves both null when not written', () => {
    expect(patternsOf('["0.0.0.0/0:443", "0.0.0.0/0", "*", "internet", "185.40.56.0/24:22/udp", "time.windows.com:123/tcp", "*.example.com:443/tcp", "Storage/udp"]')
      .map((p) => [p.kind, p.port, p.protocol])).toEqual([
      ['any', 443, null], ['any', null, null], ['any', null, null], ['any', null, null],
      ['cidr', 22, 'Udp'], ['fqdn', 123, 'Tcp'], ['fqdn', 443, 'Tcp'], ['service-tag', null, 'Udp'],
    ]);
  });
});

describe('check: mayReach with a port or a protocol', () => {
  // snet-settlement-batch can reach 185.40.56.0/24 on TCP 22 and time.windows.com on UDP 123
  // (firewall rules clearing-sftp and ntp in the bank demo): neither is on port 443.
  it('["0.0.0.0/0:443"] fails for a subnet that can reach TCP 22 and UDP 123', () => {
    const c = control(`version: 1
controls:
  - id: only-443
    effect: deny
    scope: { subnets: [snet-settlement-batch] }
    mayReach: ["0.0.0.0/0:443"]
`);
    expect(c.status).toBe('fail');
    expect(c.violations.map((v) => v.subject)).toEqual(expect.arrayContaining(['185.40.56.0/24', 'time.windows.com']));
  });

  it('["0.0.0.0/0"] still allows everything', () => {
    const c = control(`version: 1
controls:
  - id: all
    effect: deny
    scope: { subnets: [snet-settlement-batch] }
    mayReach: ["0.0.0.0/0"]
`);
    expect(c.status).toBe('pass');
  });

  it('a UDP pattern does not cover a TCP rule, nor a TCP pattern a UDP rule', () => {
    const c = control(`version: 1
controls:
  - id: proto
    effect: deny
    scope: { subnets: [snet-settlement-batch] }
    mayReach: ["time.windows.com:123/tcp", "185.40.56.0/24:22/udp", "*.update.microsoft.com", "*.windowsupdate.com", "*.delivery.mp.microsoft.com"]
`);
    expect(c.status).toBe('fail');
    expect(c.violations.map((v) => v.subject)).toEqual(expect.arrayContaining(['185.40.56.0/24', 'time.windows.com']));
  });

  it('the right protocols pass', () => {
    const c = control(`version: 1
controls:
  - id: proto
    effect: deny
    scope: { subnets: [snet-settlement-batch] }
    mayReach: ["time.windows.com:123/udp", "185.40.56.0/24:22/tcp", "*.update.microsoft.com", "*.windowsupdate.com", "*.delivery.mp.microsoft.com"]
`);
    expect(c.violations.filter((v) => v.subject === '185.40.56.0/24' || v.subject === 'time.windows.com')).toEqual([]);
  });

  it('["0.0.0.0/0:443"] fails on an unrestricted path with no NSG: every port of both protocols gets out', () => {
    // No NSG and default outbound access: nothing on the path decides by port, so the default
    // route's answer holds for TCP and UDP on every port, and reach says so.
    const b = new ModelBuilder();
    const vnet = b.vnet('vnet-open', ['10.0.0.0/16']);
    b.subnet(vnet, 'snet-open', '10.0.1.0/24');
    const input = { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] };
    const yaml = (mayReach: string): string => `version: 1\ncontrols:\n  - id: open\n    effect: deny\n    scope: { subnets: [snet-open] }\n    mayReach: ${mayReach}\n`;
    const ported = control(yaml('["0.0.0.0/0:443"]'), input);
    expect(ported.status).toBe('fail');
    expect(ported.violations.map((v) => [v.subject, v.reason])).toEqual([['*', 'can reach any public destination on Tcp/Udp * (no inspection and no NSG on the path), not only the mayReach list']]);
    expect(control(yaml('["0.0.0.0/0"]'), input).status).toBe('pass');
  });
});

describe('check: mayReach where an NSG allows other ports than TCP 443', () => {
  // README (reach): "each destination the firewall or NSG rules on its path allow"; egress-rules.md §7:
  // NSG rules are matched per flow, first match wins, so TCP 80 to any public address is allowed.
  function httpOnly(): ResolveInput {
    const b = new ModelBuilder();
    const vnet = b.vnet('spoke', ['10.1.0.0/16']);
    const nat = b.natGateway('nat', { publicIpIds: [b.publicIp('nat-pip', '20.0.0.1')] });
    const nsg = b.nsg('nsg-app', [
      securityRule('allow-http-out', 100, 'Allow', 'Internet', { protocol: 'Tcp', destinationPortRanges: ['80'] }),
      securityRule('deny-internet', 200, 'Deny', 'Internet'),
    ]);
    b.subnet(vnet, 'app', '10.1.1.0/24', { natGatewayId: nat, networkSecurityGroupId: nsg });
    return { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] };
  }
  const yaml = (body: string): string => `version: 1\ncontrols:\n  - { id: c, effect: deny, ${body} }\n`;

  it('a source that can reach anything on TCP 80 is not within [api.stripe.com], as mustNotReach on port 80 already says', () => {
    const input = httpOnly();
    // The same tool proves the subnet reaches an arbitrary host on port 80 ...
    const exfil = control(yaml('mustNotReach: ["exfil.example.net:80"]'), input);
    expect(exfil.violations.map((v) => v.reason)).toEqual(['reaches exfil.example.net:80/tcp: internet, NAT gateway']);
    // ... so everything it can reach is not within [api.stripe.com]. Before: pass (reach probed TCP 443 only, which the NSG denies).
    const c = control(yaml('mayReach: [api.stripe.com]'), input);
    expect(c.status).toBe('fail');
    expect(c.violations.map((v) => [v.subject, v.ports, v.protocols, v.reason])).toEqual([
      ['*', ['80'], ['Tcp'], 'can reach any public destination on Tcp 80 (no inspection; NSG nsg-app rule allow-http-out allows it), not only the mayReach list'],
    ]);
    // A pattern that allows everything on TCP 80 does cover it.
    expect(control(yaml('mayReach: ["0.0.0.0/0:80/tcp"]'), input).status).toBe('pass');
  });
});

describe('check: mayReach where a firewall rule\'s ports end differently', () => {
  it('an Allow on TCP 22 and 3389 whose TCP 22 an earlier Deny stops fails ["203.0.113.0/24:22"] on TCP 3389', () => {
    // Reach judges the rule on TCP 22 alone (denied) and used to list nothing: the control passed
    // although the firewall lets TCP 3389 out to the range (rule processing: first match wins).
    // TCP 3389 is now "may reach", which fails the control.
    const { b } = hubSpokeFirewall([
      networkRule('deny-partner-ssh', { action: 'Deny', priority: 100, collection: 'deny', destinationAddresses: ['203.0.113.0/24'], destinationPorts: ['22'] }),
      networkRule('partner-admin', { priority: 200, destinationAddresses: ['203.0.113.0/24'], destinationPorts: ['22', '3389'] }),
    ]);
    const c = control(`version: 1
controls:
  - id: partner-ssh-only
    effect: deny
    scope: { subnets: [app] }
    mayReach: ["203.0.113.0/24:22"]
`, { model: b.build(), effectiveRoutes: [], metrics: [], gaps: [] });
    expect(c.status).toBe('fail');
    expect(c.violations.map((v) => [v.subject, v.reason])).toEqual([
      ['203.0.113.0/24', expect.stringMatching(/^may reach \(not proven blocked\) 203\.0\.113\.0\/24 TCP 3389 \(rule fw-policy\/net\/partner-admin /)],
    ]);
  });
});

describe('traffic --policy: an observed flow against a ported or protocol-bound pattern', () => {
  it('TCP 22 is outside ["0.0.0.0/0:443"], TCP 443 within', () => {
    const patterns = patternsOf('["0.0.0.0/0:443"]');
    expect(judgeObserved(observation({}), patterns, noTags).kind).toBe('outside');
    expect(judgeObserved(observation({ port: 443 }), patterns, noTags).kind).toBe('within');
  });

  it('TCP 22 is outside ["185.40.56.10:22/udp"], within ["185.40.56.10:22/tcp"] and ["185.40.56.10:22"]', () => {
    expect(judgeObserved(observation({}), patternsOf('["185.40.56.10:22/udp"]'), noTags).kind).toBe('outside');
    expect(judgeObserved(observation({}), patternsOf('["185.40.56.10:22/tcp"]'), noTags).kind).toBe('within');
    expect(judgeObserved(observation({}), patternsOf('["185.40.56.10:22"]'), noTags).kind).toBe('within');
  });

  it('an HTTPS application-rule hit runs on TCP: within a /tcp pattern, outside a /udp one', () => {
    const https = observation({ destination: 'api.stripe.com', destinationIp: null, port: 443, protocol: 'HTTPS', logs: new Set(['azfw-application']) });
    expect(judgeObserved(https, patternsOf('["api.stripe.com:443/tcp"]'), noTags).kind).toBe('within');
    expect(judgeObserved(https, patternsOf('["api.stripe.com:443/udp"]'), noTags).kind).toBe('outside');
  });
});
