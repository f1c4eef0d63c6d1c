import { describe, expect, it } from 'vitest';
import { ClientBusyError, FairWork, fairWorkOptionsFromEnv, type FairWorkOptions } from './fair-work.js';

/** A job that runs until released, recording when it started. */
function gated(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { work: async () => { log.push(name); await done; return name; }, release: () => release() };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

const options = (over: Partial<FairWorkOptions> = {}): FairWorkOptions => ({
  concurrency: 1, lightConcurrency: 2, perClientRunning: 1, perClientQueued: 10, burstMs: 1e9, refillMsPerSecond: 1, largeAnswerBytes: 1000, bytesPerMs: 100, requestsPerSecond: 1e9, requestBurst: 1e9, ...over,
});

describe('fair shares of uncached work', () => {
  it('serves clients in turn: a reader waits behind one job of a client that queued many, not behind all of them', async () => {
    const fair = new FairWork(options());
    const log: string[] = [];
    const abuse = Array.from({ length: 5 }, (_, i) => gated(log, `abuser-${i}`));
    const runs = abuse.map((job) => fair.run('198.51.100.7', job.work));
    const reader = gated(log, 'reader');
    const readerRun = fair.run('203.0.113.1', reader.work);
    await settle();
    expect(log).toEqual(['abuser-0']);
    abuse[0]?.release();
    await settle();
    // The reader came after five of the abuser's jobs but runs second.
    expect(log).toEqual(['abuser-0', 'reader']);
    reader.release();
    await readerRun;
    for (const job of abuse) job.release();
    await Promise.all(runs);
    expect(log).toEqual(['abuser-0', 'reader', 'abuser-1', 'abuser-2', 'abuser-3', 'abuser-4']);
    expect(fair.busy).toMatchObject({ running: 0, waiting: 0 });
  });

  it('runs light work in places of its own: small answers do not wait behind heavy ones, nor take their places', async () => {
    const fair = new FairWork(options({ concurrency: 1, lightConcurrency: 2 }));
    const log: string[] = [];
    const heavy = [gated(log, 'heavy-a'), gated(log, 'heavy-b')];
    const light = [gated(log, 'light-c'), gated(log, 'light-d'), gated(log, 'light-e')];
    const heavyRuns = heavy.map((job, i) => fair.run(`198.51.100.${i + 1}`, job.work));
    const lightRuns = light.map((job, i) => fair.run(`203.0.113.${i + 1}`, job.work, true));
    await settle();
    // One heavy place, two light ones: the second heavy job and the third light one wait for a place of their kind.
    expect(log).toEqual(['heavy-a', 'light-c', 'light-d']);
    expect(fair.busy).toMatchObject({ running: 3, waiting: 2 });
    light[0]?.release();
    await settle();
    expect(log).toEqual(['heavy-a', 'light-c', 'light-d', 'light-e']);
    heavy[0]?.release();
    await settle();
    expect(log.at(-1)).toBe('heavy-b');
    for (const job of [...heavy, ...light]) job.release();
    await Promise.all([...heavyRuns, ...lightRuns]);
    expect(fair.busy).toMatchObject({ running: 0, waiting: 0 });
  });

  it('keeps one running job per client across both kinds of place', async () => {
    const fair = new FairWork(options({ concurrency: 2, lightConcurrency: 2 }));
    const log: string[] = [];
    const a = gated(log, 'heavy');
    const b = gated(log, 'light');
    const runs = [fair.run('198.51.100.7', a.work), fair.run('198.51.100.7', b.work, true)];
    await settle();
    expect(log).toEqual(['heavy']);
    a.release();
    await settle();
    expect(log).toEqual(['heavy', 'light']);
    b.release();
    await Promise.all(runs);
  });

  it('refuses a client beyond its places at once, without running the work, and keeps serving others', async () => {
    const fair = new FairWork(options({ concurrency: 2, perClientQueued: 2 }));
    const log: string[] = [];
    const a = gated(log, 'a1');
    const b = gated(log, 'a2');
    const first = fair.run('198.51.100.7', a.work);
    const second = fair.run('198.51.100.7', b.work);
    let ran = false;
    await expect(fair.run('198.51.100.7', async () => { ran = true; })).rejects.toMatchObject({ name: 'ClientBusyError', reason: 'queue', retryAfterSeconds: 1 });
    expect(ran).toBe(false);
    // One running per client: the second waits although a place is free, and another client takes it.
    await settle();
    expect(log).toEqual(['a1']);
    await expect(fair.run('203.0.113.1', async () => 'reader')).resolves.toBe('reader');
    a.release();
    b.release();
    await Promise.all([first, second]);
    expect(log).toEqual(['a1', 'a2']);
  });

  it('charges the time a job took and refuses a client past its burst until the refill pays it back, saying when', async () => {
    let now = 0;
    const fair = new FairWork(options({ concurrency: 2, burstMs: 1_000, refillMsPerSecond: 250 }), () => now);
    // 3 s of work: 2 s beyond the burst, repaid at 250 ms per second: 8 s.
    await fair.run('198.51.100.7', async () => { now += 3_000; });
    expect(fair.balanceMs('198.51.100.7')).toBe(-2_000);
    const refused = await fair.run('198.51.100.7', async () => 'no').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ClientBusyError);
    expect(refused).toMatchObject({ reason: 'budget', retryAfterSeconds: 8 });
    // Another client is not affected.
    await expect(fair.run('203.0.113.1', async () => 'yes')).resolves.toBe('yes');
    now += 7_000;
    await expect(fair.run('198.51.100.7', async () => 'no')).rejects.toMatchObject({ retryAfterSeconds: 1 });
    now += 1_000;
    await expect(fair.run('198.51.100.7', async () => 'again')).resolves.toBe('again');
  });

  it('does not limit work without a network peer (in-process calls: tests, the static bake)', async () => {
    const fair = new FairWork(options({ concurrency: 1, perClientQueued: 1, burstMs: 0.001 }));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => fair.run(null, async () => i)));
    expect(results).toHaveLength(20);
  });

  it('forgets clients that have paid back their debt, so distinct addresses cannot grow its memory', async () => {
    let now = 0;
    const fair = new FairWork(options({ refillMsPerSecond: 1_000 }), () => now);
    for (let i = 0; i < 50; i++) await fair.run(`2001:db8::${i}`, async () => { now += 10; });
    expect(fair.busy.clients).toBe(50);
    now += 60_000;
    // A repaid client is forgotten at its next request.
    await fair.run('2001:db8::1', async () => undefined);
    expect(fair.balanceMs('2001:db8::1')).toBe(1e9);
  });

  it('reads its budget from the environment and refuses nonsense there', () => {
    expect(fairWorkOptionsFromEnv({ OBSERVA_CLIENT_WORK_BURST_MS: '2000', OBSERVA_CLIENT_WORK_REFILL_MS_PER_S: '100' })).toMatchObject({ burstMs: 2000, refillMsPerSecond: 100 });
    expect(fairWorkOptionsFromEnv({ OBSERVA_CLIENT_REQUESTS_PER_S: '5', OBSERVA_CLIENT_REQUEST_BURST: '40' })).toMatchObject({ requestsPerSecond: 5, requestBurst: 40 });
    expect(() => fairWorkOptionsFromEnv({ OBSERVA_CLIENT_WORK_BURST_MS: 'lots' })).toThrow(/OBSERVA_CLIENT_WORK_BURST_MS: "lots" is not a positive number/);
  });
});

describe('a client whose queued work outlasts its budget', () => {
  it('has the rest of its queue refused when each turn comes, not run', async () => {
    let now = 0;
    const fair = new FairWork(options({ burstMs: 1_000, refillMsPerSecond: 100 }), () => now);
    const ran: number[] = [];
    // Admitted while within the burst; the first one spends 5 s, so the others are refused at their turn.
    const runs = [0, 1, 2].map((i) => fair.run('198.51.100.7', async () => { ran.push(i); now += 5_000; }).then(() => 'ran', (e: unknown) => e));
    const outcomes = await Promise.all(runs);
    expect(ran).toEqual([0]);
    expect(outcomes[0]).toBe('ran');
    expect(outcomes[1]).toMatchObject({ name: 'ClientBusyError', reason: 'budget', retryAfterSeconds: 40 });
    expect(outcomes[2]).toMatchObject({ name: 'ClientBusyError', reason: 'budget' });
    expect(fair.busy).toMatchObject({ running: 0, waiting: 0 });
  });
});

describe('large answers cost their bytes, cached or not', () => {
  it('charges a large answer by size, refuses one past the share, and never charges a small one', () => {
    let now = 0;
    // 1,000 ms burst; 100 bytes per ms; answers of 1,000 bytes or more count.
    const fair = new FairWork(options({ burstMs: 1_000, refillMsPerSecond: 100 }), () => now);
    for (let i = 0; i < 1_000; i++) fair.chargeSent('203.0.113.9', 999); // small: free however many
    expect(fair.balanceMs('203.0.113.9')).toBe(1_000);
    fair.chargeSent('203.0.113.9', 60_000); // 600 ms
    expect(fair.balanceMs('203.0.113.9')).toBe(400);
    fair.chargeSent('203.0.113.9', 60_000); // admitted (within the burst when asked), now 200 ms beyond it
    expect(() => fair.chargeSent('203.0.113.9', 1_000)).toThrow(expect.objectContaining({ name: 'ClientBusyError', reason: 'budget', retryAfterSeconds: 2 }));
    // Small answers are still served to a client past its share; another client is untouched.
    expect(() => fair.chargeSent('203.0.113.9', 999)).not.toThrow();
    expect(() => fair.chargeSent('203.0.113.10', 60_000)).not.toThrow();
    // The refill pays it back.
    now += 2_000;
    expect(() => fair.chargeSent('203.0.113.9', 1_000)).not.toThrow();
    // In-process calls (no client) are not charged.
    expect(() => fair.chargeSent(null, 1e12)).not.toThrow();
  });
});

describe('a request rate per client', () => {
  it('admits a burst, then the sustained rate, refusing what is beyond with the seconds until a place frees', () => {
    let now = 0;
    const fair = new FairWork(options({ requestsPerSecond: 10, requestBurst: 30 }), () => now);
    for (let i = 0; i < 30; i++) fair.admit('192.0.2.77');
    expect(() => fair.admit('192.0.2.77')).toThrow(expect.objectContaining({ name: 'ClientBusyError', reason: 'rate', retryAfterSeconds: 1 }));
    // Another client has its own rate; in-process calls have none.
    expect(() => fair.admit('192.0.2.78')).not.toThrow();
    for (let i = 0; i < 1_000; i++) fair.admit(null);
    // A second later, ten more.
    now += 1_000;
    for (let i = 0; i < 10; i++) fair.admit('192.0.2.77');
    expect(() => fair.admit('192.0.2.77')).toThrow(expect.objectContaining({ reason: 'rate' }));
    // A client that stopped is forgotten once repaid.
    now += 10_000;
    fair.admit('192.0.2.77');
    expect(fair.busy.clients).toBeGreaterThanOrEqual(1);
  });
});
