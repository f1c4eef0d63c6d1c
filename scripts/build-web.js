// Bundles the browser code (src/web/client) and the stylesheet into dist/assets/ (served as /assets/).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const out = new URL('../dist/assets/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [new URL('../src/web/client/main.ts', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  outfile: `${out}app.js`,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(new URL('../src/web/site.css', import.meta.url), `${out}site.css`);
copyFileSync(new URL('../src/web/favicon.svg', import.meta.url), `${out}favicon.svg`);
