/** A problem `lapse stats` found: something that loses or delays session events. */
export interface StatsProblem {
  /** Stable identifier, for scripts. */
  readonly code: 'keyspace-events' | 'bucket-without-ttl' | 'bucket-unregistered' | 'buckets-not-swept' | 'orphaned-index-entries';
  /** What is wrong and what it costs, one line. */
  readonly message: string;
  /** How to fix it, one line. */
  readonly fix: string;
  /** Whether `lapse stats --fix` repairs it. */
  readonly fixable: boolean;
  /** The keys (or `key member` pairs) concerned, if any. */
  readonly keys: readonly string[];
}

/** An expiration bucket `<ns>:expirations:<minute>`. */
export interface BucketState {
  readonly key: string;
  /** The bucket's minute (epoch ms): it holds sessions expiring in the minute before. */
  readonly minute: number;
  /** How many sessions it holds. */
  readonly members: number;
  /** Its time to live in ms, `null` when it has none. */
  readonly ttlMs: number | null;
  /** Whether the bucket registry `<ns>:expiration-minutes` lists it (lapse's sweep only takes those). */
  readonly registered: boolean;
}

/** A principal-index entry whose session is gone (neither hash nor shadow key exists). */
export interface OrphanedIndexEntry {
  readonly indexKey: string;
  readonly sessionId: string;
}

/** Sessions expiring in one minute ahead. */
export interface ExpiringMinute {
  /** The bucket minute (epoch ms): these sessions expire before it. */
  readonly before: number;
  readonly sessions: number;
}

/** What `lapse stats` reports about a namespace. */
export interface NamespaceStats {
  readonly namespace: string;
  /** The Redis URL, without password. */
  readonly redis: string;
  readonly database: number;
  /** Redis's clock when the stats were taken, epoch ms. */
  readonly now: number;
  readonly sessions: {
    /** Sessions whose shadow key exists. */
    readonly live: number;
    /** Sessions that ended (deleted or expired) whose data is still kept for late events. */
    readonly ended: number;
  };
  readonly principals: {
    /** Users with a principal index. */
    readonly users: number;
    /** Entries of all principal indexes. */
    readonly entries: number;
  };
  /** `notify-keyspace-events` (`null` value: CONFIG GET not allowed) and the flags it lacks. */
  readonly keyspaceEvents: { readonly value: string | null; readonly missing: readonly string[] };
  /** Sessions expiring per minute, from the expiration buckets. */
  readonly expiring: {
    /** In buckets more than a minute past: nobody has swept them. */
    readonly overdue: number;
    /** In the bucket of the minute that just ended (the next sweep takes them). */
    readonly dueNow: number;
    /** One entry per minute ahead, the first ending at the next full minute. */
    readonly minutes: readonly ExpiringMinute[];
    /** In buckets beyond the last minute shown. */
    readonly later: number;
  };
  readonly problems: readonly StatsProblem[];
}
