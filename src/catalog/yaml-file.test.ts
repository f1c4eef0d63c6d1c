import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CatalogError, builtValueOf, loadYamlFile } from './yaml-file.js';

// The build leaves each catalog file's parsed value beside it (scripts/copy-assets.js); it must never stand in for a
// YAML text other than the one it was made from, nor hide where a problem is.

const dir = mkdtempSync(join(tmpdir(), 'observa-yaml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const Schema = z.strictObject({ code: z.string(), count: z.number() });

function files(name: string, yaml: string, built: unknown, madeFrom: string = yaml): URL {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  writeFileSync(`${path}.json`, JSON.stringify({ sha256: sha(madeFrom), value: built }));
  return pathToFileURL(path);
}

describe('the build\'s parsed copy of a catalog file', () => {
  it('is used when it was made from this very text', () => {
    const url = files('a.yaml', 'code: x\ncount: 1\n', { code: 'from-json', count: 1 });
    expect(builtValueOf(url, 'code: x\ncount: 1\n')).toEqual({ code: 'from-json', count: 1 });
    expect(loadYamlFile('a.yaml', url, Schema)).toEqual({ code: 'from-json', count: 1 });
  });

  it('is ignored once the YAML is edited, and absent is no copy', () => {
    const url = files('b.yaml', 'code: edited\ncount: 2\n', { code: 'stale', count: 1 }, 'code: old\ncount: 1\n');
    expect(builtValueOf(url, 'code: edited\ncount: 2\n')).toBeUndefined();
    expect(loadYamlFile('b.yaml', url, Schema)).toEqual({ code: 'edited', count: 2 });
    const bare = join(dir, 'c.yaml');
    writeFileSync(bare, 'code: c\ncount: 3\n');
    expect(loadYamlFile('c.yaml', pathToFileURL(bare), Schema)).toEqual({ code: 'c', count: 3 });
  });

  it('does not hide a problem: it is located in the YAML (line, column, value)', () => {
    const yaml = 'code: x\ncount: "three"\n';
    const url = files('d.yaml', yaml, { code: 'x', count: 'three' });
    expect(() => loadYamlFile('d.yaml', url, Schema)).toThrow(CatalogError);
    expect(() => loadYamlFile('d.yaml', url, Schema)).toThrow(/d\.yaml, line 2, column 8, value "three"/);
  });
});
