import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../src/api/index.js';
import { loadedStore } from '../src/test-support/bundled-store.js';
import { fairWorkForTests } from '../src/test-support/fair-work.js';
import { tempStore, type TempStore } from '../src/test-support/temp-store.js';

// Benchmarks launch Chromium too, outside vitest: the launcher lives in a module that does not import vitest.
export { launchChromium } from './chromium.js';

/** Where e2e tests write their screenshots (git-ignored). */
export const SCREENSHOTS = new URL('./screenshots/', import.meta.url).pathname;
const AXE = readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

export type TrackedPage = Page & { errors: string[] };

/** A new page that records uncaught script errors. axe-core is injected inline, so the page's CSP is bypassed. */
export async function openTracked(browser: Browser, url: string, options: { width?: number; acceptDownloads?: boolean } = {}): Promise<TrackedPage> {
  const page = (await browser.newPage({ viewport: { width: options.width ?? 1280, height: 1000 }, acceptDownloads: options.acceptDownloads ?? false, bypassCSP: true })) as TrackedPage;
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(url);
  return page;
}

/** axe-core run in the page: the serious or critical violations, as `rule (nodes)`. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } };
    const result = await w.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
  });
}

/** What a browser suite runs against: a temporary store, the server on a free port, and Chromium. */
export interface Observatory {
  readonly t: TempStore;
  readonly server: RunningServer;
  readonly browser: Browser;
}

/**
 * Registers a suite's setup and teardown: a temporary store filled by `fill` (by default, a copy of the run's store of
 * every bundled file), the server and Chromium. The fields are set once `beforeAll` has run.
 */
export function observatoryInChromium(fill?: (t: TempStore) => Promise<unknown>): Observatory {
  const o = {} as { t: TempStore; server: RunningServer; browser: Browser };
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    if (fill) {
      o.t = await tempStore();
      await fill(o.t);
    } else {
      o.t = await loadedStore();
    }
    o.server = await startServer(o.t.store, 0, '127.0.0.1', { fairWork: fairWorkForTests() });
    o.browser = await launchChromium();
  }, 600_000); // an upper bound for loading every bundled file on a loaded machine
  afterAll(async () => {
    await o.browser?.close();
    await o.server?.close();
    await o.t?.cleanup();
  });
  return o;
}
