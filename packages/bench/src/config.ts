/** The sizes and durations of a full run (`pnpm bench`) and of a smoke run (`--quick`). */
export interface BenchConfig {
  readonly quick: boolean;
  readonly ops: {
    readonly concurrencies: readonly number[];
    /** Per cell: unmeasured warm-up, then the measured time. */
    readonly warmupMs: number;
    readonly durationMs: number;
    /**
     * How many times the peers take turns at each findById + delta save cell: a cell shows the
     * median turn, a ratio is the median of the ratios of back-to-back turns (see `pairedRatio`).
     */
    readonly rounds: number;
    /** The same for the other operations but deleteById (one turn, its sessions being used up). */
    readonly otherRounds: number;
    /** Sessions each peer holds for findById, delta save and the request mix. */
    readonly poolSize: number;
    /**
     * Most sessions made ready for one deleteById cell (otherwise sized from the peer's findById
     * rate; a cell that runs out ends early and says so).
     */
    readonly deleteLimit: number;
  };
  readonly lag: {
    /** Live sessions in all, `due` of them coming due during the window, the rest long-lived. */
    readonly live: number;
    readonly due: number;
    readonly windowMs: number;
    /** From the go signal to the first deadline (the due sessions are saved in the first second). */
    readonly leadMs: number;
    /** An event later than this after its deadline counts as missed; the wait ends at the last deadline plus this. */
    readonly capMs: number;
    /** The minute-bucket mode's cleanupCron. */
    readonly bucketCron: string;
    readonly longLivedInterval: number;
  };
  readonly sweep: {
    readonly live: number;
    readonly due: number;
    readonly rounds: number;
  };
  readonly memory: {
    readonly sessions: number;
  };
  /** The express-session request section: the Store API, peers taking turns as in `ops`. */
  readonly store: {
    readonly concurrencies: readonly number[];
    readonly warmupMs: number;
    readonly durationMs: number;
    readonly rounds: number;
    /** Logged-in sessions each peer holds. */
    readonly poolSize: number;
  };
  /** The express app driven by autocannon. */
  readonly app: {
    readonly connections: number;
    readonly warmupSeconds: number;
    readonly durationSeconds: number;
    readonly rounds: number;
  };
  /** Memory per logged-in express session. */
  readonly storeMemory: {
    readonly sessions: number;
  };
}

export const FULL: BenchConfig = {
  quick: false,
  ops: {
    concurrencies: [1, 64],
    warmupMs: 250,
    durationMs: 800,
    rounds: 7,
    otherRounds: 3,
    poolSize: 10_000,
    deleteLimit: 400_000,
  },
  lag: {
    live: 100_000,
    due: 1_000,
    windowMs: 60_000,
    leadMs: 5_000,
    capMs: 65_000,
    bucketCron: '0 * * * * *',
    longLivedInterval: 3600,
  },
  sweep: { live: 1_000_000, due: 10_000, rounds: 3 },
  memory: { sessions: 50_000 },
  store: { concurrencies: [1, 64], warmupMs: 250, durationMs: 800, rounds: 7, poolSize: 10_000 },
  app: { connections: 32, warmupSeconds: 2, durationSeconds: 5, rounds: 7 },
  storeMemory: { sessions: 20_000 },
};

export const QUICK: BenchConfig = {
  quick: true,
  ops: {
    concurrencies: [1, 64],
    warmupMs: 50,
    durationMs: 150,
    rounds: 1,
    otherRounds: 1,
    poolSize: 500,
    deleteLimit: 40_000,
  },
  lag: {
    live: 2_000,
    due: 40,
    windowMs: 2_000,
    leadMs: 1_500,
    capMs: 2_500,
    // A minute-long wait does not fit a smoke run: the same index swept every second.
    bucketCron: '* * * * * *',
    longLivedInterval: 3600,
  },
  sweep: { live: 20_000, due: 500, rounds: 1 },
  memory: { sessions: 2_000 },
  store: { concurrencies: [1, 64], warmupMs: 50, durationMs: 150, rounds: 1, poolSize: 500 },
  app: { connections: 32, warmupSeconds: 0.3, durationSeconds: 0.7, rounds: 1 },
  storeMemory: { sessions: 2_000 },
};
