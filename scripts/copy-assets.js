// Copies the catalog's YAML files next to the compiled loader (tsc copies only .ts output), each with its parsed value as
// JSON beside it (`<file>.json`, keyed by the YAML text's hash): parsing the YAML cold took ~0.5 s of every CLI run and
// server start, reading the JSON a few ms. The loader uses a JSON only when its hash is that of the YAML beside it
// (src/catalog/yaml-file.ts), so an edited YAML file is never read from a stale copy.
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse } from 'yaml';

const target = new URL('../dist/catalog/data/', import.meta.url);
cpSync(new URL('../src/catalog/data/', import.meta.url), target, { recursive: true });
for (const name of readdirSync(target).filter((f) => f.endsWith('.yaml'))) {
  const text = readFileSync(new URL(name, target), 'utf8');
  const sha256 = createHash('sha256').update(text).digest('hex');
  let value;
  try {
    value = parse(text, { prettyErrors: false, logLevel: 'error' });
  } catch {
    continue; // no copy: the loader parses the YAML itself and says where the problem is (file, line, column)
  }
  writeFileSync(new URL(`${name}.json`, target), JSON.stringify({ sha256, value }));
}
