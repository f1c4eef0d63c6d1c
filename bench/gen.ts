// `npm run bench:gen -- --rows 50000000 [--out FILE] [--encoding latin-1]`: writes the synthetic municipal incidence file.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateIncidence } from './generate-incidence.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '10000000' }, out: { type: 'string' }, encoding: { type: 'string', default: 'utf-8' } } });
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows <= 0) throw new Error(`--rows must be a positive whole number, got ${values.rows}`);
const encoding = values.encoding === 'latin-1' ? 'latin-1' : 'utf-8';
const out = values.out ?? new URL(`./data/incidencia-municipal-${rows}.csv`, import.meta.url).pathname;
if (existsSync(out)) console.error(`overwriting ${out}`);
const started = Date.now();
const { lines, years } = await generateIncidence(rows, out, encoding);
console.log(`wrote ${out}: ${lines.toLocaleString('en-US')} lines (${(lines * 12).toLocaleString('en-US')} month cells), years ${years[0]}–${years[1]}, ${encoding}, in ${((Date.now() - started) / 1000).toFixed(1)} s`);

