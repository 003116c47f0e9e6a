/**
 * Load balancer rule matching, pure functions over the model. Used when a UDR's `VirtualAppliance`
 * next hop is an internal load balancer frontend (the NVA / firewall HA pattern) and for the
 * protocol check of load-balancing and outbound rules.
 */
import type { ResourceId } from '../model/ids';
import type { LoadBalancer, LoadBalancerProtocol, LoadBalancingRule } from '../model/topology';

/** Transport protocols a flow can have (what the resolver asks about). */
export type FlowProtocol = 'Tcp' | 'Udp';

/**
 * Whether a rule's protocol covers a flow's. `All` covers TCP and UDP; `Unknown` (a value ARM may
 * add later) covers nothing, so no SNAT or forwarding is claimed on a guess.
 * "The automatic outbound NAT provided matches the transport protocol of the load-balancing rule"
 * https://learn.microsoft.com/azure/load-balancer/outbound-rules
 */
export function protocolCovers(ruleProtocol: LoadBalancerProtocol, protocol: FlowProtocol): boolean {
  return ruleProtocol === 'All' || ruleProtocol === protocol;
}

/**
 * An HA ports rule: "configured when you set the frontend and backend ports to 0 and the protocol
 * to All. The internal load balancer resource then balances all TCP and UDP flows, regardless of
 * port number." https://learn.microsoft.com/azure/load-balancer/load-balancer-ha-ports-overview
 */
export function isHaPortsRule(rule: LoadBalancingRule): boolean {
  return rule.protocol === 'All' && rule.frontendPort === 0 && rule.backendPort === 0;
}

export type IlbRuleMatch =
  /** An HA ports rule on the frontend: every TCP and UDP flow, any port, is load-balanced. */
  | { readonly kind: 'ha-ports'; readonly rule: LoadBalancingRule }
  /** A rule for this protocol and frontend port. */
  | { readonly kind: 'rule'; readonly rule: LoadBalancingRule }
  /** No rule on the frontend carries the flow: the load balancer drops it. */
  | { readonly kind: 'none' };

function byId(a: LoadBalancingRule, b: LoadBalancingRule): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The load-balancing rule of `lb` that carries a flow sent to frontend `frontendId` (a UDR next hop
 * IP that is an internal LB frontend). A load balancer forwards only flows some rule on the
 * frontend matches; HA ports carries every flow; otherwise the rule must name the flow's protocol
 * (or All) and its port as `frontendPort`. [HAP]
 * https://learn.microsoft.com/azure/load-balancer/load-balancer-ha-ports-overview
 * Rules are taken in ID order, so the answer is deterministic when several match.
 */
export function ilbRuleFor(lb: LoadBalancer, frontendId: ResourceId, protocol: FlowProtocol, port: number): IlbRuleMatch {
  const onFrontend = lb.loadBalancingRules.filter((r) => r.frontendIpConfigurationIds.includes(frontendId)).sort(byId);
  const haPorts = onFrontend.find(isHaPortsRule);
  if (haPorts) return { kind: 'ha-ports', rule: haPorts };
  const rule = onFrontend.find((r) => r.frontendPort === port && protocolCovers(r.protocol, protocol));
  return rule ? { kind: 'rule', rule } : { kind: 'none' };
}
