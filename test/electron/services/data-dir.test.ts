import { describe, expect, it } from 'vitest';
import { browserDataDir } from '../../../electron/services/data-dir';

describe('browserDataDir', () => {
  const home = '/home/ops';
  it('prefers --data-dir, then EGRESS_ATLAS_DATA_DIR, then XDG_CONFIG_HOME, then ~/.config', () => {
    expect(browserDataDir('/tmp/atlas', { EGRESS_ATLAS_DATA_DIR: '/env', XDG_CONFIG_HOME: '/xdg' }, home)).toBe('/tmp/atlas');
    expect(browserDataDir(null, { EGRESS_ATLAS_DATA_DIR: '/env', XDG_CONFIG_HOME: '/xdg' }, home)).toBe('/env');
    expect(browserDataDir(null, { XDG_CONFIG_HOME: '/xdg' }, home)).toBe('/xdg/egress-atlas');
    expect(browserDataDir(null, {}, home)).toBe('/home/ops/.config/egress-atlas');
  });
  it('ignores a relative XDG_CONFIG_HOME, as the XDG spec requires', () => {
    expect(browserDataDir(null, { XDG_CONFIG_HOME: 'relative/dir' }, home)).toBe('/home/ops/.config/egress-atlas');
  });
});
