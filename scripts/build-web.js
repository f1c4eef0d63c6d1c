// Bundles the browser code (src/web/client) and the stylesheet into dist/assets/ (served as /assets/).
// One small entry (app.js: reads the page's config, the URL state, tables) and one bundle per kind of drawing, loaded by
// app.js with import() when the page needs it: a map page never downloads Observable Plot, a chart page never d3-geo.
// Each lazy bundle is self-contained (a few shared helpers are repeated), so a page costs one request per module, and
// the page's head preloads the one its first view needs (src/site/layout.ts, `modules`).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const src = (path) => new URL(`../src/web/${path}`, import.meta.url).pathname;
const out = new URL('../dist/assets/', import.meta.url).pathname;
/** Lazy bundles: the module app.js imports → the asset it becomes. */
const LAZY = { './chart.js': 'chart', './map.js': 'map', './both-sides.js': 'both-sides', './border-map.js': 'border-map', '../search.js': 'search' };
const ENTRIES = { chart: 'client/chart.ts', map: 'client/map.ts', 'both-sides': 'client/both-sides.ts', 'border-map': 'client/border-map.ts', search: 'search.ts' };

/** app.js's import('./map.js') stays an import, of /assets/map.js (an absolute URL: the baked site serves it as a file). */
const lazyAssets = {
  name: 'lazy-assets',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/[a-z-]+\.js$/ }, (args) => {
      const name = LAZY[args.path];
      if (args.kind !== 'dynamic-import' || !name) return undefined;
      return { path: `/assets/${name}.js`, external: true };
    });
  },
};

const common = { bundle: true, minify: true, format: 'esm', target: ['es2022'], legalComments: 'none', logLevel: 'warning' };
mkdirSync(out, { recursive: true });
await build({ ...common, entryPoints: [src('client/main.ts')], outfile: `${out}app.js`, plugins: [lazyAssets] });
await build({ ...common, entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, path]) => [name, src(path)])), outdir: out });
copyFileSync(new URL('../src/web/site.css', import.meta.url), `${out}site.css`);
copyFileSync(new URL('../src/web/favicon.svg', import.meta.url), `${out}favicon.svg`);
