import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layers may import only from layers below them (docs/architecture.md). */
const LAYERS = {
  domain: [],
  // Browser code: talks to the API or baked JSON only, and ships no zod.
  web: [],
  catalog: ['domain'],
  store: ['domain', 'catalog'],
  ingest: ['domain', 'catalog', 'store'],
  analytics: ['domain', 'catalog', 'store'],
  // The case registry: access policy, encryption, audit chain, impunity aggregates.
  registry: ['domain', 'catalog', 'store'],
  // The monitoring layer: scorecard, evidence ledger, risks, assistance, reported figures; and the periodic report.
  monitoring: ['domain', 'catalog', 'store', 'analytics'],
  report: ['domain', 'catalog', 'store', 'analytics', 'monitoring', 'site', 'web'],
  site: ['domain', 'catalog', 'store', 'analytics', 'monitoring', 'web'],
  api: ['domain', 'catalog', 'store', 'analytics', 'monitoring', 'registry', 'site'],
  cli: ['domain', 'catalog', 'store', 'analytics', 'monitoring', 'registry', 'report', 'ingest', 'api', 'site'],
};
const ALL = Object.keys(LAYERS);

const layerRules = Object.entries(LAYERS).map(([layer, allowed]) => ({
  files: [`src/${layer}/**/*.ts`],
  // Tests may set up state through any layer (e.g. load data with ingest to test analytics).
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...ALL.filter((l) => l !== layer && !allowed.includes(l)).map((l) => ({
            group: [`**/${l}/**`, `**/${l}/index.js`, `../${l}`, `../../${l}`],
            message: `the ${layer} layer may not import ${l} (see docs/architecture.md)`,
          })),
          {
            regex: String.raw`^\.\./(\.\./)*(${ALL.join('|')})/(?!index\.js$).+`,
            message: 'import another layer through its index.js',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'coverage/**', '.observa-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...layerRules,
);
