/**
 * Real-world input files (issue 10): a directory is read file by file (what is not an Azure
 * export is skipped with a gap naming the file and why); a file named on its own that is not
 * JSON says what it looks like and what to export; input with no network resources is exit 2.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/model/errors';
import { loadInputs, snapshotFromTexts } from '../../../electron/snapshot/load';
import { describeNonJson } from '../../../electron/snapshot/input-kind';

const AZ_DIR = fileURLToPath(new URL('../../fixtures/az-outputs/', import.meta.url));
const OPTIONS = { toolVersion: '9.9.9-test', now: () => new Date('2026-11-26T06:00:00Z') };

async function rejectionOf(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egress-atlas-real-world-'));
  await mkdir(join(dir, 'estate'));
  for (const name of ['vnet-create.json', 'nic-create.json', 'nsg-create.json', 'public-ip-create.json', 'firewall-create.json',
    'firewall-ip-config-create.json', 'account-show.json', 'vnets-table.txt', 'vnets.yaml', 'vnets.csv', 'vnets.tsv', 'appended.json']) {
    await copyFile(join(AZ_DIR, name), join(dir, 'estate', name));
  }
  await mkdir(join(dir, 'junk'));
  for (const name of ['account-show.json', 'vnets.yaml']) await copyFile(join(AZ_DIR, name), join(dir, 'junk', name));
  await writeFile(join(dir, 'empty.json'), '[]\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a directory is read file by file', () => {
  it('resolves what it can and records every skipped file with the reason', async () => {
    const snapshot = await loadInputs([join(dir, 'estate')], OPTIONS);
    expect(snapshot.model.virtualNetworks.map((v) => v.name)).toEqual(['vnet-app']);
    expect(snapshot.model.networkInterfaces.map((n) => n.name)).toEqual(['nic-nva']);
    expect(snapshot.model.azureFirewalls[0]?.ipConfigurations.map((c) => c.privateIpAddress)).toEqual(['10.20.0.4']);
    const skipped = new Map(snapshot.gaps.filter((g) => g.code === 'skipped-input').map((g) => [g.scope, g.message]));
    expect([...skipped.keys()].sort()).toEqual([
      'estate/account-show.json', 'estate/appended.json', 'estate/vnets-table.txt', 'estate/vnets.csv', 'estate/vnets.tsv', 'estate/vnets.yaml',
    ]);
    expect(skipped.get('estate/account-show.json')).toContain('az account show');
    expect(skipped.get('estate/appended.json')).toContain('two or more JSON documents');
    expect(skipped.get('estate/vnets-table.txt')).toContain('"-o table" output');
    expect(skipped.get('estate/vnets.yaml')).toContain('YAML');
    expect(skipped.get('estate/vnets.csv')).toContain('CSV');
    expect(skipped.get('estate/vnets.tsv')).toContain('"-o tsv" output');
    for (const message of skipped.values()) expect(message).toMatch(/skipped/);
    // Only the files that were read are the snapshot's origin.
    expect(snapshot.metadata.origin).not.toContain('estate/vnets.yaml');
    expect(snapshot.metadata.origin).toContain('estate/vnet-create.json');
  });

  it('a directory of nothing but skipped files is exit-2 bad input naming it and the first reason', async () => {
    const error = await rejectionOf(loadInputs([join(dir, 'junk')], OPTIONS));
    expect(error.message).toMatch(/^no Azure network resources found in junk \(2 skipped: junk\/vnets\.yaml is not JSON: it looks like YAML.*\(and 1 more\)\); understood types: virtualNetworks, /);
  });
});

describe('files named on their own', () => {
  it.each([
    ['vnets.yaml', 'YAML ("-o yaml" output)'],
    ['vnets-table.txt', 'a table ("-o table" output'],
    ['vnets.csv', 'comma-separated values'],
    ['vnets.tsv', 'tab-separated values'],
    ['appended.json', 'two or more JSON documents'],
  ])('%s: says what the file looks like and to export with -o json', async (name, looks) => {
    const error = await rejectionOf(loadInputs([join(AZ_DIR, name)], OPTIONS));
    expect(error.file).toBe(name);
    expect(error.expected).toBe('JSON (export with "az … -o json")');
    expect(error.found).toContain(looks);
    expect(error.message).toMatch(new RegExp(`^${name.replace('.', '\\.')}: (line \\d+, column \\d+|\\$): expected JSON \\(export with "az … -o json"\\), found `));
  });

  it('az account show named on its own is an error, not a gap', async () => {
    const error = await rejectionOf(loadInputs([join(AZ_DIR, 'account-show.json')], OPTIONS));
    expect(error.message).toContain('account-show.json: $: expected an ARM resource');
    expect(error.message).toContain('az account show');
  });

  it.each([
    ['empty.json', () => join(dir, 'empty.json')],
    ['vm-show.json', () => join(AZ_DIR, 'vm-show.json')],
  ])('%s (no network resources): "no Azure network resources found in FILE" with the understood types', async (name, path) => {
    const error = await rejectionOf(loadInputs([path()], OPTIONS));
    expect(error.message).toMatch(new RegExp(`^no Azure network resources found in ${name.replace('.', '\\.')}; understood types: virtualNetworks, .*azureFirewalls.*\\(Microsoft\\.Network, with their child resources\\)$`));
  });

  it('a file that cannot be read at all still fails the run', async () => {
    const error = await rejectionOf(loadInputs([join(dir, 'nope.json')], OPTIONS));
    expect(error.found).toBe('ENOENT');
  });

  it('the app import (texts in memory) follows the explicit-file rules', () => {
    expect(() => snapshotFromTexts([{ name: 'vnets.yaml', text: 'name: vnet-app\nlocation: westeurope\n' }], OPTIONS)).toThrow(/found YAML/);
  });
});

describe('describeNonJson', () => {
  it.each([
    ['', 'an empty file'],
    ['\u001b[1m{\u001b[0m"a": 1}', '"-o jsonc"'],
    ['%PDF-1.7\n...', 'a PDF document'],
    ['Name              : vnet-app\nResourceGroupName : rg-net\n', 'Format-List'],
    ['<html><body>Sign in</body></html>', 'HTML or XML'],
  ])('%j → %s', (text, looks) => {
    expect(describeNonJson(text)).toContain(looks);
  });

  it('says nothing about JSON that is merely broken, or prose', async () => {
    expect(describeNonJson('{"value": [ {"id": ')).toBeNull();
    expect(describeNonJson('not JSON, skipped')).toBeNull();
    expect(describeNonJson(await readFile(join(AZ_DIR, 'vnet-create.json'), 'utf8'))).toBeNull();
  });
});
