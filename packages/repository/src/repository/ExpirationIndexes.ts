import { CleanupSchedule } from '../cleanup/CleanupSchedule.js';
import { DeadlineSweeper } from '../cleanup/DeadlineSweeper.js';
import { MinuteBucketExpirationIndex } from '../expiration/MinuteBucketExpirationIndex.js';
import type { RedisSessionExpirationIndex, SweepResult } from '../expiration/RedisSessionExpirationIndex.js';
import { SortedSetExpirationIndex } from '../expiration/SortedSetExpirationIndex.js';
import type { SessionKeys } from '../keys/SessionKeys.js';
import type { SessionKeyspace } from '../keys/SessionKeyspace.js';
import type { ScriptRunner } from '../redis/LuaScript.js';
import type { ResolvedRepositoryOptions } from '../RepositoryOptions.js';
import { eventStreamRetention } from '../resolveRepositoryOptions.js';

type SweepOptions = Pick<ResolvedRepositoryOptions, 'expirationIndex' | 'cleanupCron' | 'maxSweepIntervalMs' | 'onCleanupError' | 'eventStreamMaxLength' | 'eventStreamMaxAge'>;

/** A scheduled sweep that sent nothing (the client is closed). */
const NOTHING_SWEPT: SweepResult = Object.freeze({ touched: 0, nextDeadlineInMs: null });

/**
 * A repository's expiration index, one per shard (one on a single Redis), and what sweeps them:
 * the cron schedule (minute buckets) or the deadline-driven sweeper (sorted set), none without a
 * `cleanupCron`.
 */
export class ExpirationIndexes {
  readonly #byShard = new Map<SessionKeys, RedisSessionExpirationIndex>();
  #schedule: CleanupSchedule | null = null;
  #sweeper: DeadlineSweeper | null = null;

  constructor(
    private readonly keyspace: SessionKeyspace,
    private readonly runScript: ScriptRunner,
    private readonly options: SweepOptions,
    /** Whether the application has closed its client: a scheduled sweep then sends nothing. */
    private readonly clientClosed: () => boolean = () => false,
  ) {
    const sortedSet = options.expirationIndex === 'sorted-set';
    for (const shard of keyspace.shards) {
      this.#byShard.set(shard, sortedSet ? new SortedSetExpirationIndex(shard) : new MinuteBucketExpirationIndex(shard));
    }
    if (options.cleanupCron === null) return;
    // A client the application has closed is left alone (no command, no error to report): the
    // schedule runs on (its timer keeps no process alive) and sweeps again once it is open.
    const scheduled = (): Promise<SweepResult> => (this.clientClosed() ? Promise.resolve(NOTHING_SWEPT) : this.sweep());
    if (sortedSet) this.#sweeper = new DeadlineSweeper(scheduled, options.maxSweepIntervalMs, options.onCleanupError);
    else this.#schedule = new CleanupSchedule(options.cleanupCron, scheduled, options.onCleanupError);
  }

  /** The expiration index of the shard that holds session `id`. */
  of(id: string): RedisSessionExpirationIndex {
    return this.#byShard.get(this.keyspace.of(id)) as RedisSessionExpirationIndex;
  }

  /** Sweeps every shard; the next deadline is the earliest of them. */
  async sweep(): Promise<SweepResult> {
    const results = await Promise.all([...this.#byShard.values()].map((index) => index.sweep(this.runScript, eventStreamRetention(this.options))));
    const deadlines = results.map((r) => r.nextDeadlineInMs).filter((d): d is number => d !== null);
    return {
      touched: results.reduce((sum, r) => sum + r.touched, 0),
      nextDeadlineInMs: deadlines.length === 0 ? null : Math.min(...deadlines),
    };
  }

  /** A write filed a session due in `inMs`: the deadline sweeper (sorted set) wakes for it. */
  deadlineIn(inMs: number): void {
    this.#sweeper?.deadlineIn(inMs);
  }

  /** Stops the schedule or the sweeper. */
  async stop(): Promise<void> {
    const stopping = [this.#schedule?.stop(), this.#sweeper?.stop()];
    this.#schedule = null;
    this.#sweeper = null;
    await Promise.all(stopping);
  }
}
