/** The end of a source name the source list keeps visible when it cuts the name in the middle. */
import { describe, expect, it } from 'vitest';
import { nameTail } from '../../renderer/util';

describe('nameTail', () => {
  it('keeps the default tail for an ordinary name', () => {
    expect(nameTail('vm-payments-api-weu-001-nic', 8)).toBe(8);
  });

  it('keeps a scale set instance NIC\'s instance and the characters before it, so node rows differ', () => {
    const a = 'aks-nodepool1-31337731-vmss (instance 0)';
    const b = 'aks-nodepool1-31337731-vmss (instance 12)';
    expect(a.slice(-nameTail(a, 8))).toBe('vmss (instance 0)');
    expect(b.slice(-nameTail(b, 8))).toBe('vmss (instance 12)');
  });
});
