import { describe, expect, it } from 'vitest';
import { isResourceIdText } from '../../../shared/arm/reader';

/**
 * `isResourceIdText` recognises the usual `/subscriptions/{s}/{x}/{y}` spelling without its regex;
 * every other spelling must get exactly the regex's answer (the rule the readers always applied).
 */
const RESOURCE_ID_RE = /^\s*\/*subscriptions\/+[^/]+\/+[^/]+\/+[^/]/i;

const SUB = '/subscriptions/8f2c1d3e-0000-4000-8000-000000000001';

describe('isResourceIdText', () => {
  it.each([
    [`${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/AzureFirewallSubnet`, true],
    [`${SUB}/resourceGroups/rg-hub`, true],
    [`${SUB}/resourcegroups/rg-hub/providers/microsoft.network/networkinterfaces/nic-1/ipconfigurations/ipconfig1`, true],
    [`/SUBSCRIPTIONS/8f2c1d3e-0000-4000-8000-000000000001/resourceGroups/rg-hub`, true],
    [`  ${SUB}/resourceGroups/rg-hub`, true],
    [`//subscriptions/8f2c/resourceGroups/rg`, true],
    [`/subscriptions//8f2c/resourceGroups/rg`, true],
    [`/subscriptions/8f2c//resourceGroups//rg`, true],
    [`${SUB}/resourceGroups/`, false],
    [`${SUB}/resourceGroups`, false],
    [`${SUB}/resourceGroups//`, false],
    [`${SUB}/`, false],
    [SUB, false],
    ['subscriptions/8f2c/resourceGroups/rg', true],
    ['/subscriptionsX/8f2c/resourceGroups/rg', false],
    ['/providers/Microsoft.Network/virtualNetworks/vnet', false],
    ['', false],
  ])('%s → %s, as the regex says', (text, expected) => {
    expect(RESOURCE_ID_RE.test(text)).toBe(expected);
    expect(isResourceIdText(text)).toBe(expected);
  });

  it('agrees with the regex on every short mix of slashes, spaces, names and casings', () => {
    const parts = ['/', '//', 'subscriptions', 'Subscriptions', 's', 'rg', ' ', '\n'];
    const texts: string[] = [];
    const build = (prefix: string, depth: number): void => {
      texts.push(prefix);
      if (depth === 0) return;
      for (const part of parts) build(prefix + part, depth - 1);
    };
    build('', 5);
    build('/subscriptions/', 5);
    const disagreements = texts.filter((text) => isResourceIdText(text) !== RESOURCE_ID_RE.test(text));
    expect(disagreements).toEqual([]);
    expect(texts.filter((text) => RESOURCE_ID_RE.test(text)).length).toBeGreaterThan(100);
  });
});
