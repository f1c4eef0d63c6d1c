import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundled } from '../ingest/index.js';
import { MIXED_PATHS, runLoad } from '../test-support/load.js';
import { tempStore, type TempStore } from '../test-support/temp-store.js';
import { startServer, type RunningServer } from './server.js';

let t: TempStore;
let server: RunningServer;
beforeAll(async () => {
  t = await tempStore();
  await loadBundled(t.store);
  server = await startServer(t.store, 0);
});
afterAll(async () => {
  await server.close();
  await t.cleanup();
});

describe('a burst of readers (quick version of `npm run load`)', () => {
  it('200 concurrent connections on a mixed request set: no errors, no non-2xx answers', async () => {
    const result = await runLoad(server.url, MIXED_PATHS, 200, 4);
    expect(result.requests).toBeGreaterThan(200);
    expect({ errors: result.errors, non2xx: result.non2xx, timeouts: result.timeouts }).toEqual({ errors: 0, non2xx: 0, timeouts: 0 });
  });
});
