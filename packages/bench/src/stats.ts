/** Durations (ms) of one measurement, kept in a growing Float64Array. */
export class Samples {
  #data = new Float64Array(4096);
  #length = 0;
  #sorted: Float64Array | null = null;

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const bigger = new Float64Array(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    this.#data[this.#length++] = value;
    this.#sorted = null;
  }

  /** The sorted values. */
  sorted(): Float64Array {
    this.#sorted ??= this.#data.slice(0, this.#length).sort();
    return this.#sorted;
  }

  /** Nearest-rank percentile (`p` in 0..100); NaN when empty. */
  percentile(p: number): number {
    return percentileOf(this.sorted(), p);
  }
}

/** Nearest-rank percentile of sorted values (`p` in 0..100); NaN when empty. */
export function percentileOf(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentileOf([...values].sort((a, b) => a - b), 50);
}

/** Epoch milliseconds with sub-millisecond resolution (the clock the event lags are measured on). */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
