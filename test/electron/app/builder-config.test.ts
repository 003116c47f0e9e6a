import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Configuration } from 'electron-builder';

const config = parse(readFileSync('build/electron-builder.yml', 'utf8')) as Configuration;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> };

describe('packaging config', () => {
  it('flips the production fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // onlyLoadAppFromAsar and integrity validation only mean something with an ASAR.
    expect(config.asar).toBe(true);
  });

  it('pins Electron 45 exactly, and the comment names the same version', () => {
    const version = pkg.devDependencies['electron'] ?? '';
    expect(version).toMatch(/^45\.\d+\.\d+$/);
    expect(readFileSync('build/electron-builder.yml', 'utf8')).toContain(`Electron ${version} zip`);
  });
});
