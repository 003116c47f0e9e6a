/**
 * Bank demo variants that produce the engine's harder answers, shared by the app and evidence tests:
 * no captured effective routes (the BGP-learned default route is unknown) and a firewall that
 * allows every destination except names denied first.
 */
import { buildDemoSnapshot } from '../../electron/snapshot/demo-snapshot';
import { findDemo, type DemoEstate } from '../../shared/demo/index';
import type { Snapshot } from '../../shared/model/snapshot';

const NOW = new Date('2026-12-01T00:00:00Z');

function bankDemo(): DemoEstate {
  const demo = findDemo('bank');
  if (!demo) throw new Error('no bank demo');
  return demo;
}

/** The bank demo as a snapshot (captured 2026-12-01). */
export function bankSnapshot(): Snapshot {
  return buildDemoSnapshot(bankDemo(), NOW);
}

/** Without captured effective routes: whether on-premises advertises 0.0.0.0/0 is not known. */
export function bankWithoutCapture(): Snapshot {
  return { ...bankSnapshot(), effectiveRoutes: [] };
}

/**
 * The bank demo with a Deny application collection (processed first) and, for snet-card-auth, an
 * application rule allowing any FQDN: the firewall then allows every destination except the denied names.
 */
export function bankWithExceptions(): Snapshot {
  const demo = bankDemo();
  const documents = demo.documents.map((doc) => {
    const json = JSON.parse(JSON.stringify(doc.json)) as { resources: { name?: string; properties: { ruleCollections: Record<string, unknown>[] } }[] };
    const group = json.resources.find((r) => r.name?.endsWith('rcg-platform'));
    if (!group) throw new Error('no rcg-platform');
    const [updates] = group.properties.ruleCollections as [{ rules: Record<string, unknown>[] }];
    const appRule = updates.rules[0] ?? {};
    group.properties.ruleCollections.unshift({
      ...updates, name: 'deny-exfil', priority: 105, action: { type: 'Deny' },
      rules: [{ ...appRule, name: 'block-paste-sites', targetFqdns: ['pastebin.com', '*.ngrok.io'] }],
    });
    updates.rules.push({ ...appRule, name: 'card-auth-any-https', sourceAddresses: ['10.120.0.0/24'], targetFqdns: ['*'] });
    return { ...doc, json };
  });
  return buildDemoSnapshot({ ...demo, documents }, NOW);
}
