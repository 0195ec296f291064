import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

/** Builds `parley` (CLI + headless server) to out/server as an ES module for Node 22. */
const external = [
  ...Object.keys(pkg.dependencies),
  ...builtinModules.flatMap((m) => [m, `node:${m}`]),
].map((name) => new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(/.*)?$`));

export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/server',
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      external,
      // cli.js is `parley`; import-child.js is the lean process `parley bench dialer` measures imports in;
      // sip-far-end.js is the far end's media process of `parley bench sip`; twilio-far-end.js plays Twilio for `parley bench twilio`.
      input: { cli: resolve('electron/server/cli.ts'), 'import-child': resolve('electron/server/bench/import-child.ts'), 'sip-far-end': resolve('electron/server/bench/sip-far-end.ts'), 'twilio-far-end': resolve('electron/server/bench/twilio-far-end.ts') },
      output: { format: 'es', entryFileNames: '[name].js' },
    },
  },
  ssr: { noExternal: true, external: Object.keys(pkg.dependencies) },
});
