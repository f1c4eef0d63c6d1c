import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * vitest global setup: a folder for this run's store of every bundled file. The store itself is built lazily, once,
 * by the first suite that asks for it (test-support/bundled-store.ts), so a run of suites that never need it pays nothing.
 */
export function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'observa-bundled-'));
  project.provide('bundledStoreDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run's store of every bundled file is built (once) and copied from. */
    bundledStoreDir: string;
  }
}
