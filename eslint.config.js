import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layering by runtime, enforced here rather than by goodwill (see ../shared/DESIGN.md §1):
 * contracts import nothing but zod; the engine never imports electron or a host; the renderer
 * imports only contracts; hosts never import the renderer.
 */
const layer = (files, patterns, paths = []) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});

const ELECTRON = [
  { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' },
];
const NODE_BUILTINS = { group: ['node:*'], message: 'This layer runs in the browser too: no Node built-ins.' };

export const layeringRules = [
  layer(
    ['electron/contracts/**/*.ts'],
    [
      NODE_BUILTINS,
      { group: ['**/engine', '**/engine/**', '**/main/**', '**/preload/**', '**/server/**', '**/renderer/**'], message: 'contracts import nothing but zod.' },
    ],
    ELECTRON,
  ),
  layer(
    ['electron/engine/**/*.ts'],
    [{ group: ['**/main', '**/main/**', '**/preload/**', '**/server/**', '**/renderer/**', 'electron/*'], message: 'The engine is plain Node: it may import contracts only.' }],
    ELECTRON,
  ),
  layer(
    ['electron/server/**/*.ts'],
    [{ group: ['**/renderer/**', '**/main/**', '**/preload/**'], message: 'The server host imports engine and contracts only.' }],
    ELECTRON,
  ),
  layer(
    ['electron/main/**/*.ts'],
    // "Share with the office" runs parley serve's own server (plain Node) from the desktop app: that one door only.
    [{ group: ['**/renderer/**', '**/server/**', '!**/server/office-share'], message: 'Electron hosts import engine and contracts only (and the office-share server).' }],
  ),
  layer(
    ['electron/preload/**/*.ts'],
    [{ group: ['**/renderer/**', '**/server/**'], message: 'Electron hosts import engine and contracts only.' }],
  ),
  layer(
    ['renderer/**/*.{ts,tsx}'],
    [
      NODE_BUILTINS,
      { group: ['**/electron/engine', '**/electron/engine/**', '**/electron/main', '**/electron/main/**', '**/electron/preload', '**/electron/preload/**', '**/electron/server', '**/electron/server/**'], message: 'The renderer talks to the engine only through electron/contracts.' },
    ],
    ELECTRON,
  ),
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/lint-fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Options come in through constructors; only entry points read the environment.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read the environment in an entry point and pass config down.' }],
    },
  },
  {
    files: ['electron/server/cli.ts', 'electron/server/cli/**', 'electron/server/paths.ts', 'electron/main/index.ts', 'tests/**', '*.config.ts', '*.config.js', 'bin/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  { files: ['renderer/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  ...layeringRules,
);
