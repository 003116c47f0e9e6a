// Layering (DEVELOPERS.md): renderer → shared ← electron. shared/ is pure TypeScript.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = ['assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'fs/promises', 'http', 'https',
  'net', 'os', 'path', 'process', 'stream', 'url', 'util', 'worker_threads', 'zlib', 'readline', 'tty'];

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'electron/cli/bin.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'shared/ is pure: no Node imports.' })),
        patterns: [
          { group: ['node:*'], message: 'shared/ is pure: no Node imports.' },
          { group: ['electron', 'electron/*'], message: 'shared/ must not import Electron.' },
          { group: ['react', 'react-dom', 'react-dom/*', 'cytoscape', 'cytoscape-*'], message: 'shared/ must not import UI libraries.' },
          { group: ['@azure/*', '@azure-rest/*'], message: '@azure/* belongs in electron/azure only.' },
          { group: ['**/electron/**', '**/renderer/**', '../electron/*', '../renderer/*', '../../electron/*', '../../renderer/*'], message: 'shared/ depends on nothing else in the repo.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'electron', 'electron/*'], message: 'The renderer talks to the main side only through shared/ipc.' },
          { group: ['@azure/*'], message: '@azure/* belongs in electron/azure only.' },
          { group: ['**/electron/**', '../electron/*', '../../electron/*'], message: 'The renderer must not import electron/ code.' },
        ],
      }],
    },
  },
  {
    files: ['electron/azure/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron'], message: 'Only the Electron shell (electron/app) imports electron.' },
          { group: ['**/renderer/**', '../renderer/*', '../../renderer/*'], message: 'electron/ must not import renderer code.' },
        ],
      }],
    },
  },
  {
    files: ['electron/app/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@azure/*', '@azure-rest/*'], message: '@azure/* belongs in electron/azure only.' },
          { group: ['**/renderer/**', '../renderer/*', '../../renderer/*'], message: 'electron/ must not import renderer code.' },
        ],
      }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/azure/**', 'electron/app/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron'], message: 'Only the Electron shell (electron/app) imports electron.' },
          { group: ['@azure/*', '@azure-rest/*'], message: '@azure/* belongs in electron/azure only (inject it).' },
          { group: ['**/renderer/**', '../renderer/*', '../../renderer/*'], message: 'electron/ must not import renderer code.' },
        ],
      }],
    },
  },
);
