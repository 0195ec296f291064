#!/usr/bin/env node
// Electron 45's package has no install script, so `npm ci` never downloads its binary and
// electron-vite does not either: `npm run dev`, `npm start` and `npm run dist` run this first.
// It uses Electron's own installer (node_modules/electron/install.js).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const binary = () => {
  const pathFile = join(dir, 'path.txt');
  return existsSync(pathFile) && existsSync(join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()));
};

if (binary()) process.exit(0);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.error('The Electron binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set: the desktop app cannot start here (parley serve and the browser console can).');
  process.exit(1);
}
console.log('Downloading the Electron binary (once)…');
const run = spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'inherit', cwd: dir });
if (run.status !== 0 || !binary()) {
  console.error('Could not install the Electron binary. Check the network (or ELECTRON_MIRROR), then run: npm run electron:install');
  process.exit(1);
}
