#!/usr/bin/env node
// The `parley` command. The real program is built to out/server/cli.js (npm run build).
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`parley needs Node.js 22 or newer (this is ${process.version}). Run it through npm (npm run parley -- ...), which uses the pinned Node 22.`);
  process.exit(1);
}
const { existsSync } = await import('node:fs');
const cli = new URL('../out/server/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('Parley is not built yet. Run: npm run build');
  process.exit(1);
}
const { main } = await import(cli.href);
await main(process.argv);
