/** The work a server or consumer has in hand, so that stopping it can wait for that work to end. */
export class InFlight {
  private readonly work = new Set<Promise<unknown>>();

  /** Returns `work` itself, kept until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.work.add(work);
    const forget = (): void => void this.work.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Resolves once everything tracked so far has settled (never rejects). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.work]);
  }
}
