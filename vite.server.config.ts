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
    ssr: resolve('electron/server/cli.ts'),
    outDir: 'out/server',
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      external,
      output: { format: 'es', entryFileNames: 'cli.js' },
    },
  },
  ssr: { noExternal: true, external: Object.keys(pkg.dependencies) },
});
