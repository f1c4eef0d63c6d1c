/** Serialises async work in this process: each piece starts when the previous one has settled. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  lock<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
