import { describe, expect, it } from 'vitest';
import { buildSystemRoutes } from '../../../shared/routing/system-routes';
import { nextHopLabel } from '../../../shared/routing/route';

function table(prefixes: readonly string[]): string[] {
  return buildSystemRoutes('/vnet', prefixes).map((r) => `${r.addressPrefix} ${nextHopLabel(r.nextHop)}`);
}

describe('buildSystemRoutes', () => {
  it('gives VnetLocal per VNet range, 0/0 Internet and None for the four reserved ranges', () => {
    expect(table(['172.20.0.0/16'])).toEqual([
      '172.20.0.0/16 VnetLocal', '0.0.0.0/0 Internet', '10.0.0.0/8 None', '172.16.0.0/12 None', '192.168.0.0/16 None', '100.64.0.0/10 None',
    ]);
  });

  it('drops a reserved None route equal to a VNet range (the VnetLocal route replaces it)', () => {
    expect(table(['10.0.0.0/8'])).toEqual(['10.0.0.0/8 VnetLocal', '0.0.0.0/0 Internet', '172.16.0.0/12 None', '192.168.0.0/16 None', '100.64.0.0/10 None']);
  });

  it('drops a reserved range contained in a larger VNet range', () => {
    expect(table(['192.0.0.0/2'])).toEqual(['192.0.0.0/2 VnetLocal', '0.0.0.0/0 Internet', '10.0.0.0/8 None', '172.16.0.0/12 None', '100.64.0.0/10 None']);
  });

  it('keeps the None route when the VNet range is inside the reserved range (LPM picks VnetLocal for the VNet)', () => {
    expect(table(['10.1.0.0/16', '192.168.5.0/24'])).toEqual([
      '10.1.0.0/16 VnetLocal', '192.168.5.0/24 VnetLocal', '0.0.0.0/0 Internet', '10.0.0.0/8 None', '172.16.0.0/12 None', '192.168.0.0/16 None', '100.64.0.0/10 None',
    ]);
  });

  it('marks every system route as source Default', () => {
    expect(new Set(buildSystemRoutes('/vnet', ['10.0.0.0/16']).map((r) => r.source))).toEqual(new Set(['Default']));
  });
});
