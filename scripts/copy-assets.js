// Copies the catalog's YAML files next to the compiled loader (tsc copies only .ts output).
import { cpSync } from 'node:fs';

cpSync(new URL('../src/catalog/data/', import.meta.url), new URL('../dist/catalog/data/', import.meta.url), { recursive: true });
