/**
 * The egress path graph: what the app's graph panel (cytoscape) and the evidence PDF (pdfkit) draw.
 * Built from a `ResolveResult` by `buildEgressGraph`, laid out by `layoutEgressGraph` (ELK) or
 * `layoutLayeredQuick`. Plain readonly, JSON-serializable data, so it can be posted to a Web Worker.
 *
 * Conventions (stable contract, consumers rely on them):
 * - Node IDs are the canonical resource ID for Azure resources; pseudo-IDs for the rest:
 *   sinks `internet`, `on-premises`, `dropped`, `denied`, `no-outbound`, `unknown`; the
 *   pseudo-exit `default-outbound`; egress IPs `public-ip:<address or prefix>` (when the IP text is
 *   not itself a resource ID).
 * - Denied / no-outbound / dropped traffic ends in ONE node kind, `dropped`, with a `reason`; each
 *   reason is its own node (`dropped`, `denied`, `no-outbound`) so the three read apart on screen.
 *   An `unknown` verdict ends in the `unknown` sink.
 * - Default outbound access is a pseudo-node (kind `default-outbound`), not an edge label, because
 *   it is a finding users want to see at a glance [DOA]
 *   https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
 * - `label` and `sublabel` are plain text (never HTML), full length; truncation is the layout's job.
 * - Edge IDs are `edge:<source>|<target>`: stable across runs and across snapshots.
 */
import type { ExitMethod, Verdict } from '../egress/types';

/** Every node kind, a closed union: switch on it exhaustively. */
export type GraphNodeKind = GraphNode['kind'];

export interface GraphNodeBase {
  readonly id: string;
  /** Resource name (or the IP text for public IPs, the sink name for sinks). Plain text. */
  readonly label: string;
  /** Second line: subnet prefix, private IP, verdict text... Plain text, may be empty. */
  readonly sublabel: string;
  /** Compound parent node ID (a `vnet` node), or null at the top level. */
  readonly parent: string | null;
  /** The Azure resource behind the node; null for pseudo-nodes (sinks, default outbound, an IP with no known resource). */
  readonly resourceId: string | null;
}

/** How many paths of each verdict (overview VNet nodes). */
export type VerdictCounts = Readonly<Record<Verdict, number>>;

/** A VNet. In `full`/`path` views a compound node (parent of its subnets, NICs and appliances); in `overview` a leaf with counts. */
export interface VnetNode extends GraphNodeBase {
  readonly kind: 'vnet';
  /** True when the node has children in this graph (full/path views). */
  readonly compound: boolean;
  /** Overview only (zero elsewhere): number of subnet and NIC path sources folded into this node. */
  readonly subnetCount: number;
  readonly nicCount: number;
  /** Overview only (all zero elsewhere): paths per verdict, for a badge. */
  readonly verdictCounts: VerdictCounts;
}

/** A subnet that is a path source. */
export interface SubnetNode extends GraphNodeBase {
  readonly kind: 'subnet';
  /** The subnet's own path verdict; null when the result has only NIC paths for it. */
  readonly verdict: Verdict | null;
  readonly exit: ExitMethod | null;
  /**
   * Its own path passes an Azure Firewall, NVA or internal load balancer (the path's `via`): what
   * "inspected" means in every output. Not read from the graph: an NVA that is a source of its own
   * is drawn once, as a NIC node, and a path through it must still count as inspected.
   */
  readonly inspected: boolean;
  /** Number of paths from this subnet (0 or 1) plus its NIC exception paths. */
  readonly pathCount: number;
  /** NIC paths in the result whose NIC sits in this subnet (per-NIC exceptions). */
  readonly nicExceptionCount: number;
}

/** A NIC with its own path (a per-NIC exception, e.g. a VM public IP). */
export interface NicNode extends GraphNodeBase {
  readonly kind: 'nic';
  readonly verdict: Verdict;
  readonly exit: ExitMethod | null;
  /** Its path passes an Azure Firewall, NVA or internal load balancer (see SubnetNode.inspected). */
  readonly inspected: boolean;
  /** The subnet the NIC's primary IP configuration sits in, when known. */
  readonly subnetId: string | null;
}

export interface ApplianceNode extends GraphNodeBase {
  readonly kind: 'azure-firewall' | 'nva' | 'internal-load-balancer' | 'virtual-network-gateway' | 'virtual-hub';
}

export interface ExitNode extends GraphNodeBase {
  readonly kind: 'nat-gateway' | 'load-balancer' | 'default-outbound';
}

/** An egress public IP or prefix. */
export interface PublicIpNode extends GraphNodeBase {
  readonly kind: 'public-ip';
  /** The address or prefix text (`20.1.2.3`, `20.1.2.0/28`), or null when only the resource is known. */
  readonly address: string | null;
}

export interface SinkNode extends GraphNodeBase {
  readonly kind: 'internet' | 'private' | 'on-premises' | 'unknown';
}

export type DroppedReason = 'dropped' | 'denied' | 'no-outbound';

/** Where traffic stops: route to None / loop (`dropped`), an NSG or firewall deny (`denied`), no outbound method (`no-outbound`). */
export interface DroppedNode extends GraphNodeBase {
  readonly kind: 'dropped';
  readonly reason: DroppedReason;
}

export type GraphNode =
  | VnetNode | SubnetNode | NicNode | ApplianceNode | ExitNode | PublicIpNode | SinkNode | DroppedNode;

/** One aggregated hop-to-hop edge. */
export interface GraphEdge {
  /** `edge:<source>|<target>`. */
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** Number of paths using the edge. */
  readonly weight: number;
  /** Path source IDs (subnet / NIC resource IDs) using the edge, sorted. */
  readonly sourceIds: readonly string[];
  /** Short plain-text edge label; empty except in overview where exits folded into a VNet are named here. */
  readonly label: string;
  /**
   * Set on an edge no traffic takes: from a subnet to the NAT gateway attached to it that a route
   * overrides (the engine's `nat-gateway-bypassed` finding). Drawn dashed, with no arrowhead, never
   * as a hop: by the app, the diagram exports and the PDF alike (absent only from graphs built with
   * `{ bypassedNat: false }`, and from the overview).
   */
  readonly bypassed?: true;
}

/** Which part of the result to draw. */
export type GraphView =
  | { readonly kind: 'full' }
  /** VNet level: one node per VNet with verdict counts; shared appliances, exits and sinks. */
  | { readonly kind: 'overview' }
  /** Only the elements on these sources' paths. */
  | { readonly kind: 'path'; readonly sourceIds: readonly string[] };

/** The elements one path source touches in a graph. */
export interface PathElements {
  readonly nodeIds: readonly string[];
  readonly edgeIds: readonly string[];
  /**
   * Those of `nodeIds` this source reaches only by its own `bypassed` edge (the NAT gateway attached
   * to it that its route overrides), sorted; absent when none. They stay on screen with the path but
   * are never a hop of it, even when another source's path uses them (training: ng-training is
   * snet-03's hop, bypassed by snet-13-nat-bypassed-by-udr).
   */
  readonly bypassedNodeIds?: readonly string[];
}

export interface EgressGraph {
  readonly view: GraphView;
  /** Sorted: parents before children, then by ID. */
  readonly nodes: readonly GraphNode[];
  /** Sorted by ID. */
  readonly edges: readonly GraphEdge[];
  /** Path source ID → the elements of its path in this graph. Read it with `pathElementIds`. */
  readonly pathIndex: Readonly<Record<string, PathElements>>;
}
