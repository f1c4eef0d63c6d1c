import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

/** A problem at a path of a YAML document. */
export interface PathProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** A parsed YAML file that can say where a path is: `file, line L, column C`, and the value found there. */
export class YamlFile {
  private readonly lines = new LineCounter();
  readonly doc: Document;

  constructor(readonly name: string, text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
    if (this.doc.errors.length > 0) {
      const first = this.doc.errors.slice(0, 5).map((e) => `  ${this.at(e.pos[0])}: ${e.message.split('\n')[0] ?? ''}`);
      throw new CatalogError(`catalog file ${name} is not valid YAML:\n${first.join('\n')}`);
    }
  }

  private at(offset: number): string {
    const { line, col } = this.lines.linePos(offset);
    return `${this.name}, line ${line}, column ${col}`;
  }

  /** The position of the deepest node along `path` that exists, and the value there (shortened). */
  describe(path: readonly PropertyKey[]): string {
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node: unknown = this.doc.getIn(path.slice(0, depth).map((k) => (typeof k === 'symbol' ? String(k) : k)), true);
      if (isNode(node) && node.range) {
        const value = depth === path.length ? JSON.stringify(node.toJSON()) : undefined;
        const shown = value === undefined ? '' : `, value ${value.length > 80 ? `${value.slice(0, 77)}…` : value}`;
        return `${this.at(node.range[0])}${shown}, at ${path.map(String).join('.') || '(root)'}`;
      }
    }
    return `${this.name}, at ${path.map(String).join('.')}`;
  }

  problems(list: readonly PathProblem[]): CatalogError {
    return new CatalogError(`catalog file ${this.name} is invalid:\n${list.slice(0, 10).map((p) => `  ${this.describe(p.path)}: ${p.message}`).join('\n')}`);
  }

  /** The document validated by `schema`, or a CatalogError naming line, column, value and what was expected. */
  parse<T>(schema: z.ZodType<T>): T {
    const result = schema.safeParse(this.doc.toJS());
    if (!result.success) throw this.problems(result.error.issues.map((i) => ({ path: i.path, message: i.message })));
    return result.data;
  }
}

export function parseYamlFile<T>(name: string, text: string, schema: z.ZodType<T>): T {
  return new YamlFile(name, text).parse(schema);
}

/**
 * The value of the YAML file at `url` as the build left it parsed beside it (`<file>.json`, scripts/copy-assets.js), when
 * that copy is of this very text (same SHA-256); undefined otherwise (a source tree, an edited file): parse the YAML.
 */
export function builtValueOf(url: URL, text: string): unknown {
  let built: { sha256?: unknown; value?: unknown };
  try {
    built = JSON.parse(readFileSync(new URL(`${url.href}.json`), 'utf8')) as typeof built;
  } catch {
    return undefined;
  }
  return built.sha256 === createHash('sha256').update(text).digest('hex') ? built.value : undefined;
}

/**
 * `schema`'s value of a YAML file: from the build's parsed copy when there is a current one and it is valid; otherwise
 * (or to say where a problem is: line, column, value) from the YAML itself.
 */
export function loadYamlFile<T>(name: string, url: URL, schema: z.ZodType<T>): T {
  const text = readFileSync(url, 'utf8');
  const built = builtValueOf(url, text);
  if (built !== undefined) {
    const result = schema.safeParse(built);
    if (result.success) return result.data;
  }
  return parseYamlFile(name, text, schema);
}
