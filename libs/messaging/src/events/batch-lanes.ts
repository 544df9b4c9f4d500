import type { InFlight } from '../in-flight.js';

interface Lane<T> {
  waiting: T[];
  running: boolean;
}

/**
 * Items grouped into batches on a fixed number of lanes. Items with the same key always take the
 * same lane, where batches run one after another in arrival order; different lanes run at once.
 * A batch takes what waits on its lane when it starts (up to `batchSize`): under load batches
 * grow by themselves, and an item alone is not held back.
 */
export class BatchLanes<T> {
  private readonly lanes: Lane<T>[];

  constructor(
    count: number,
    private readonly batchSize: number,
    private readonly inFlight: InFlight,
    /** Handles one batch; must not throw. */
    private readonly work: (batch: T[]) => Promise<void>,
  ) {
    this.lanes = Array.from({ length: Math.max(1, count) }, () => ({ waiting: [], running: false }));
  }

  push(key: string, item: T): void {
    const lane = this.lanes[hashOf(key) % this.lanes.length]!;
    lane.waiting.push(item);
    if (lane.running) return;
    lane.running = true;
    // After this I/O turn, so the items that came in together share a batch; tracked from now,
    // so a stop that comes first still waits for it.
    void this.inFlight.track(new Promise((resolve) => setImmediate(resolve)).then(() => this.drain(lane)));
  }

  private async drain(lane: Lane<T>): Promise<void> {
    try {
      while (lane.waiting.length > 0) await this.work(lane.waiting.splice(0, this.batchSize));
    } finally {
      lane.running = false;
    }
  }
}

/** FNV-1a: cheap, and stable across processes (so is the lane of a key). */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
