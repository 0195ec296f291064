#!/usr/bin/env node
// `npm run size`: what electron-builder would pack per platform, computed from electron-builder.yml's
// `files` rules (global, then the platform's own) over this machine's production dependencies.
// Optional native packages of other platforms are not installed here; the release workflow prints
// the same figures on each platform, where they are.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, matchesGlob, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
const json = process.argv.includes('--json');
const LIMIT_MB = 350;

/** Production packages, as electron-builder collects them (npm's own view of the tree). */
function productionPackages() {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return [...new Set(out.split('\n').map((l) => l.trim()).filter((l) => l && l !== root && l.includes(`${sep}node_modules${sep}`)))];
}

/** Files under `dir`; a package's own nested node_modules are counted as the packages they are. */
function* walk(dir, nested = true) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!nested && entry.name === 'node_modules') continue;
      yield* walk(path, nested);
    } else if (entry.isFile()) yield path;
  }
}

const toPosix = (path) => path.split(sep).join('/');
const negations = (list = []) => list.filter((p) => typeof p === 'string' && p.startsWith('!')).map((p) => p.slice(1));
const inclusions = (list = []) => list.filter((p) => typeof p === 'string' && !p.startsWith('!'));

function payload(platform) {
  const excluded = [...negations(config.files), ...negations(config[platform]?.files)];
  const included = inclusions(config.files);
  const skip = (rel) => excluded.some((glob) => matchesGlob(rel, glob));
  let app = 0;
  let dependencies = 0;
  const byPackage = new Map();
  for (const pattern of included) {
    const top = pattern.split('/')[0];
    let paths;
    try {
      paths = statSync(join(root, top)).isDirectory() ? [...walk(join(root, top))] : [join(root, top)];
    } catch {
      continue;
    }
    for (const path of paths) {
      const rel = toPosix(relative(root, path));
      if (matchesGlob(rel, pattern) && !skip(rel)) app += statSync(path).size;
    }
  }
  for (const dir of productionPackages()) {
    let size = 0;
    for (const path of walk(dir, false)) {
      const rel = toPosix(relative(root, path));
      if (!skip(rel)) size += statSync(path).size;
    }
    dependencies += size;
    const name = toPosix(relative(join(root, 'node_modules'), dir));
    if (!name.includes('/node_modules/')) byPackage.set(name, (byPackage.get(name) ?? 0) + size);
  }
  const largest = [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, bytes]) => ({ name, mb: mb(bytes) }));
  return { platform, appMb: mb(app), dependenciesMb: mb(dependencies), totalMb: mb(app + dependencies), withinLimit: mb(app + dependencies) < LIMIT_MB, largest };
}

const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const platforms = ['linux', 'win', 'mac'].map(payload);
const installedHere = process.platform === 'win32' ? 'win' : process.platform === 'darwin' ? 'mac' : 'linux';
if (json) {
  console.log(JSON.stringify({ limitMb: LIMIT_MB, measuredOn: installedHere, platforms }));
} else {
  console.log(`Packaged payload (app + production dependencies, before Electron itself), limit ${LIMIT_MB} MB:`);
  for (const p of platforms) {
    const note = p.platform === installedHere ? '' : ` (other platforms' optional native packages are not installed on this ${installedHere} machine)`;
    console.log(`  ${p.platform.padEnd(6)} ${String(p.totalMb).padStart(7)} MB  (app ${p.appMb} MB, dependencies ${p.dependenciesMb} MB)${p.withinLimit ? '' : '  OVER THE LIMIT'}${note}`);
    console.log(`         largest: ${p.largest.map((x) => `${x.name} ${x.mb} MB`).join(', ')}`);
  }
}
if (platforms.find((p) => p.platform === installedHere && !p.withinLimit)) process.exitCode = 1;
