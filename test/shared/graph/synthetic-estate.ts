/**
 * A generated hub-spoke result (no model needed: the graph derives VNets from subnet IDs). Spoke i
 * has `subnetsPerSpoke` subnets; every third spoke uses its own NAT gateway, every seventh subnet is
 * denied by the hub firewall, the rest leave through the hub firewall's public IP.
 */
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import { hop, path, result, rid } from './hub-spoke-fixture';

export const syntheticFirewallId = rid('azurefirewalls', 'fw-hub');

export function syntheticHubSpoke(spokes: number, subnetsPerSpoke: number): ResolveResult {
  const paths: EgressPath[] = [];
  for (let s = 0; s < spokes; s++) {
    const vnet = `vnet-spoke-${String(s).padStart(4, '0')}`;
    for (let n = 0; n < subnetsPerSpoke; n++) {
      const id = rid('virtualnetworks', vnet, `subnets/snet-${n}`);
      const index = s * subnetsPerSpoke + n;
      if (s % 3 === 2) {
        const nat = rid('natgateways', `nat-${vnet}`);
        paths.push(path({ id, verdict: 'internet', exit: 'nat-gateway', egressIps: [`20.1.${Math.floor(s / 250)}.${s % 250}`], hops: [hop('nat-gateway', nat)] }));
      } else if (index % 7 === 6) {
        paths.push(path({ id, verdict: 'denied', via: [syntheticFirewallId] }));
      } else {
        paths.push(path({ id, verdict: 'internet', exit: 'public-ip', via: [syntheticFirewallId], egressIps: ['20.0.0.1'] }));
      }
    }
  }
  return result(paths);
}
