/**
 * A SKU the input does not give is not priced as Standard. The bank demo exported without its
 * firewall's `sku` (a Resource Graph projection or a trimmed export) or its NAT gateways' `sku`:
 * the hours and per-GB figures of those resources are missing with a gap naming the missing fact,
 * and the egress verdicts, which do not depend on the tier here, stay as they were.
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm/index';
import type { ArmDocument } from '../../../shared/arm/index';
import { estimateCost } from '../../../shared/cost/index';
import type { CostResult, SourceCost } from '../../../shared/cost/index';
import { findDemo } from '../../../shared/demo/index';
import { resolveEgress } from '../../../shared/egress/index';
import type { ResolveInput } from '../../../shared/egress/index';

interface EditableResource {
  readonly type: string;
  sku?: unknown;
  properties?: { sku?: unknown };
}

/** The bank demo with `edit` applied to a copy of each of its resources. */
function bankWith(edit: (resource: EditableResource) => void): ResolveInput {
  const demo = findDemo('bank');
  if (!demo) throw new Error('no bank demo');
  const documents = demo.documents.map((doc) => {
    const json = JSON.parse(JSON.stringify(doc.json)) as { resources: EditableResource[] };
    for (const resource of json.resources) edit(resource);
    return { ...doc, json } as ArmDocument;
  });
  return { ...normalizeArm(documents), metrics: [], serviceTags: demo.serviceTags };
}

function bank(): ResolveInput {
  return bankWith(() => undefined);
}

function pathCost(result: CostResult, name: string): SourceCost {
  const s = result.sources.find((x) => x.source.name === name);
  if (!s) throw new Error(`no source ${name}`);
  return s;
}

const verdicts = (input: ResolveInput): readonly (readonly [string, string, string | null, readonly string[]])[] =>
  resolveEgress(input).paths.map((p) => [p.source.name, p.verdict, p.exit, p.egressIps] as const);

describe('cost: an Azure Firewall tier not in the input', () => {
  // afw-hub-weu is Premium ($1.75/h). Standard ($1.25/h), Premium and Basic ($0.395/h) are priced
  // differently (destinations.md §8.1: Infracost firewall_test.golden; the third-party Basic note;
  // the tiers: https://learn.microsoft.com/azure/firewall/choose-firewall-sku), so no tier's price
  // may stand in for the missing one.
  const input = bankWith((r) => {
    if (/azureFirewalls$/i.test(r.type)) {
      delete r.sku;
      delete r.properties?.sku;
    }
  });
  const result = estimateCost(input, resolveEgress(input), { fallbackRegion: 'eastus' });

  it('leaves the deployment hours missing, with a gap naming the tier, not 730 h at the Standard rate', () => {
    expect(input.model.azureFirewalls.find((f) => f.name === 'afw-hub-weu')?.skuTier).toBe('Unknown');
    const fw = result.resources.find((r) => r.kind === 'azure-firewall' && r.name === 'afw-hub-weu');
    expect(fw?.monthlyFixedUsd).toBeNull();
    expect(fw?.missing).toMatch(/tier \(sku\.tier\) not in the input/);
    expect(result.gaps.some((g) => g.code === 'price-missing' && g.scope === fw?.id && /sku\.tier/.test(g.message))).toBe(true);
    const batch = pathCost(result, 'snet-settlement-batch');
    expect(batch.lines.find((l) => l.item === 'firewall-hours')?.monthlyUsd).toBeNull();
    expect(batch.lines.find((l) => l.item === 'firewall-data')?.missing).toMatch(/sku\.tier/);
    expect(batch.complete).toBe(false);
    expect(result.total.complete).toBe(false);
  });

  it('still prices the firewall at its tier when the input gives it', () => {
    const full = bank();
    const fw = estimateCost(full, resolveEgress(full), { fallbackRegion: 'eastus' }).resources.find((r) => r.name === 'afw-hub-weu');
    expect(fw?.monthlyFixedUsd).toBe(1277.5);
  });

  it('leaves the egress verdicts as they are: the tier decides none of the bank\'s paths', () => {
    expect(verdicts(input)).toEqual(verdicts(bank()));
  });
});

describe('cost: a NAT gateway SKU not in the input', () => {
  // NAT gateways are Standard or StandardV2 (NatGatewaySkuName;
  // https://learn.microsoft.com/azure/nat-gateway/nat-gateway-resource; destinations.md §8.1:
  // StandardV2 price UNCONFIRMED), so the $0.045/h Standard price would be a guess.
  const input = bankWith((r) => {
    if (/natGateways$/i.test(r.type)) delete r.sku;
  });
  const result = estimateCost(input, resolveEgress(input), { fallbackRegion: 'eastus' });

  it('leaves the hours missing, with a gap naming the SKU, not priced as Standard', () => {
    expect(input.model.natGateways.every((n) => n.skuName === 'Unknown')).toBe(true);
    const nat = result.resources.find((r) => r.kind === 'nat-gateway' && r.name === 'ng-hub-egress-weu');
    expect(nat?.monthlyFixedUsd).toBeNull();
    expect(nat?.missing).toMatch(/SKU \(sku\.name\) not in the input/);
    expect(result.gaps.some((g) => g.code === 'price-missing' && g.scope === nat?.id)).toBe(true);
    expect(pathCost(result, 'snet-settlement-batch').lines.find((l) => l.item === 'nat-gateway-data')?.missing).toMatch(/sku\.name/);
  });

  it('leaves the IPv4 egress verdicts as they are: a NAT gateway of either SKU carries IPv4', () => {
    expect(verdicts(input)).toEqual(verdicts(bank()));
  });
});
