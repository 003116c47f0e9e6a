/**
 * Every price source a user sees is one they can open: the table's own sources (titles, URLs,
 * dates) and Microsoft's pricing pages, never the private research notes the table was compiled
 * from (a path outside the repository that no user has).
 */
import { describe, expect, it } from 'vitest';
import { normalizeArm } from '../../../shared/arm/index';
import type { ArmDocument } from '../../../shared/arm/index';
import { estimateCost, MICROSOFT_PRICING_PAGES, PRICE_TABLE } from '../../../shared/cost/index';
import type { CostResult, PriceTable } from '../../../shared/cost/index';
import { DEMO_ESTATES, findDemo } from '../../../shared/demo/index';
import { resolveEgress } from '../../../shared/egress/index';
import type { ResolveInput } from '../../../shared/egress/index';
import { demoInput } from '../policy/support';

/** What a user cannot open: the private reference, its sections, or "the reference" as a source. */
const UNREACHABLE = /destinations\.md|shared\/reference|§|[Tt]he reference|UNCONFIRMED/;
const BANDWIDTH = MICROSOFT_PRICING_PAGES.bandwidth.url;
const VNET = MICROSOFT_PRICING_PAGES.virtualNetwork.url;

function cost(input: ResolveInput, prices: PriceTable = PRICE_TABLE): CostResult {
  return estimateCost(input, resolveEgress(input), { fallbackRegion: 'eastus', prices });
}

/** The bank demo with every NAT gateway's SKU set to StandardV2 (not in the price table). */
function bankStandardV2(): ResolveInput {
  const demo = findDemo('bank');
  if (!demo) throw new Error('no bank demo');
  const documents = demo.documents.map((doc) => {
    const json = JSON.parse(JSON.stringify(doc.json)) as { resources: { type: string; sku?: unknown }[] };
    for (const r of json.resources) if (/natGateways$/i.test(r.type)) r.sku = { name: 'StandardV2' };
    return { ...doc, json } as ArmDocument;
  });
  return { ...normalizeArm(documents), metrics: [], serviceTags: demo.serviceTags };
}

describe('price sources a user can open', () => {
  it('the shipped table says it was compiled from its listed sources, and cites no private file', () => {
    expect(PRICE_TABLE.compiledFrom).toBe('Egress Atlas price table of 2026-09-24, compiled from the sources listed below (each figure names its source)');
    expect(JSON.stringify(PRICE_TABLE)).not.toMatch(UNREACHABLE);
    for (const s of PRICE_TABLE.sources) expect(s.title).not.toBe('');
  });

  it.each(DEMO_ESTATES.map((d) => d.name))('the %s demo\'s estimate (lines, gaps, method notes) cites no private file', (name) => {
    expect(JSON.stringify(cost(demoInput(name)))).not.toMatch(UNREACHABLE);
  });

  it('VNet peering: the missing line and the gap cite Microsoft\'s Virtual Network pricing page', () => {
    const result = cost(demoInput('bank'));
    const line = result.sources.flatMap((s) => s.lines).find((l) => l.item === 'vnet-peering-data');
    expect(line?.missing).toBe(`no VNet peering per-GB price in the price table (cross-VNet hops add VNet peering per-GB charges, both directions: Microsoft, Virtual Network pricing, ${VNET})`);
    const gap = result.gaps.find((g) => /cross-VNet hop/.test(g.message));
    expect(gap?.message).toContain(`(VNet peering, both directions: Microsoft, Virtual Network pricing, ${VNET})`);
  });

  it('the free allowance and the egress zones cite Microsoft\'s Bandwidth pricing page, "not confirmed" where they are', () => {
    const notes = cost(demoInput('bank')).method.notes;
    const allowance = notes.find((n) => n.includes('first 100 GB free'));
    expect(allowance).toContain(`the first 100 GB free (Microsoft, Bandwidth pricing, ${BANDWIDTH}) is one allowance for the whole account (not confirmed against Microsoft's pricing page)`);
    expect(allowance).toContain('how Azure divides it is not confirmed');
    expect(notes.find((n) => n.startsWith('Egress zone of a source'))).toContain(`not confirmed against Microsoft's pricing page, Microsoft, Bandwidth pricing, ${BANDWIDTH}`);
  });

  it('a public IP prefix and a StandardV2 NAT gateway say "not confirmed against Microsoft\'s pricing page"', () => {
    const prefix = cost(demoInput('manufacturer')).resources.find((r) => r.kind === 'public-ip-prefix');
    expect(prefix?.missing).toBe('public IP prefix: the per-IP rate is not confirmed against Microsoft\'s pricing page, so the table has no price');
    const v2 = cost(bankStandardV2());
    expect(JSON.stringify(v2)).not.toMatch(UNREACHABLE);
    const nat = v2.resources.find((r) => r.kind === 'nat-gateway');
    expect(nat?.missing).toMatch(/\(StandardV2 pricing is not confirmed against Microsoft's pricing page\)$/);
  });

  it('no source date falls back to a note that names the private reference', () => {
    for (const s of PRICE_TABLE.sources) expect(s.note).not.toMatch(UNREACHABLE);
  });
});
