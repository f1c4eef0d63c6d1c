import { describe, expect, it } from 'vitest';
import { Gate, GateFullError } from './gate.js';

/** A job that runs until released, recording when it started. */
function job(order: string[], name: string) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((r) => (release = r));
  return { run: async () => { order.push(name); await released; return name; }, release: () => release() };
}

describe('the gate in front of password hashing', () => {
  it('runs at most `concurrency` jobs, queues `maxWaiting`, refuses the rest at once', async () => {
    const gate = new Gate(1, 2);
    const order: string[] = [];
    const jobs = ['a', 'b', 'c'].map((n) => job(order, n));
    const running = jobs.map((j) => gate.run(j.run));
    await expect(gate.run(async () => 'd')).rejects.toThrow(GateFullError);
    expect(gate.refused).toBe(1);
    expect(order).toEqual(['a']);
    for (const j of jobs) j.release();
    expect(await Promise.all(running)).toEqual(['a', 'b', 'c']);
    expect(gate.busy).toEqual({ running: 0, waiting: 0 });
  });

  it('one key holds at most `perKey` places; other keys still get in', async () => {
    const gate = new Gate(1, 10, 2);
    const order: string[] = [];
    const flood = ['f1', 'f2'].map((n) => job(order, n));
    const running = flood.map((j) => gate.run(j.run, { key: '203.0.113.1' }));
    await expect(gate.run(async () => 'f3', { key: '203.0.113.1' })).rejects.toThrow(GateFullError);
    const other = job(order, 'real');
    const real = gate.run(other.run, { key: '192.0.2.1' });
    for (const j of [...flood, other]) j.release();
    expect(await Promise.all([...running, real])).toEqual(['f1', 'f2', 'real']);
    // Places are given back: the key may come in again.
    expect(await gate.run(async () => 'again', { key: '203.0.113.1' })).toBe('again');
  });

  it('a priority job (a known device) is served before every ordinary waiter', async () => {
    const gate = new Gate(1, 10);
    const order: string[] = [];
    const first = job(order, 'first');
    const running = [gate.run(first.run)];
    const waiters = ['w1', 'w2', 'w3'].map((n) => job(order, n));
    for (const w of waiters) running.push(gate.run(w.run));
    const owner = job(order, 'owner');
    running.push(gate.run(owner.run, { priority: true }));
    first.release();
    owner.release();
    for (const w of waiters) w.release();
    await Promise.all(running);
    expect(order).toEqual(['first', 'owner', 'w1', 'w2', 'w3']);
  });
});
