import { DEFAULT_FAIR_WORK, FairWork } from '../api/fair-work.js';

/**
 * For test servers: the production turns and queues, without the time budget and the request rate. A test suite opens cold pages from one
 * address far faster than a person could, and would otherwise be told to wait; the budget has its own tests
 * (src/api/fair-work.test.ts, src/api/hostile-requests.test.ts).
 */
export const fairWorkForTests = (): FairWork =>
  new FairWork({ ...DEFAULT_FAIR_WORK, burstMs: Number.MAX_SAFE_INTEGER, requestBurst: Number.MAX_SAFE_INTEGER });
