import { InvalidArgumentError } from '../errors/InvalidArgumentError.js';
import { globLiteral } from './globLiteral.js';
import { SessionKeys } from './SessionKeys.js';

/** Default number of shards on a Redis Cluster. */
export const DEFAULT_CLUSTER_SHARDS = 16;

/** FNV-1a, 32 bits: a cheap, stable spread of ids over shards. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Which keys a session id uses. On a single Redis there is one layout, Spring's. On a Redis
 * Cluster sessions are spread over `shardCount` shards; the keys of a shard (its sessions, its
 * expiration index, its principal-index sets and its event stream) share the hash tag
 * `{s<k>}`, so every per-session script still runs in one slot, on one node.
 */
export class SessionKeyspace {
  /** One layout per shard (one on a single Redis). */
  readonly shards: readonly SessionKeys[];
  /** Whether keys are spread over hash-tagged shards (Redis Cluster). */
  readonly clustered: boolean;

  constructor(namespace: string, database: number, shardCount: number | null) {
    if (shardCount !== null && (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 1024)) {
      throw new InvalidArgumentError('clusterShards', `must be an integer from 1 to 1024, got ${String(shardCount)}`);
    }
    this.clustered = shardCount !== null;
    this.shards =
      shardCount === null
        ? [new SessionKeys(namespace, database)]
        : Array.from({ length: shardCount }, (_, k) => new SessionKeys(namespace, database, `s${k}`));
  }

  /** The SCAN MATCH pattern of every shadow key of every shard. */
  get shadowKeyPattern(): string {
    const first = this.shards[0] as SessionKeys;
    return this.clustered ? `${globLiteral(first.namespace)}:{s*}:sessions:expires:*` : first.shadowKeyPattern;
  }

  /** The channel names (the same for every shard). */
  get channels(): SessionKeys {
    return this.shards[0] as SessionKeys;
  }

  /** The keys of the shard that holds session `id`. */
  of(id: string): SessionKeys {
    return this.shards.length === 1 ? (this.shards[0] as SessionKeys) : (this.shards[fnv1a(id) % this.shards.length] as SessionKeys);
  }

  /** The session id in a shadow key name (of any shard), or `null` for any other key. */
  sessionIdOfShadowKey(key: string): string | null {
    const id = key.slice(key.lastIndexOf(':') + 1);
    return id.length > 0 && this.of(id).shadowKey(id) === key ? id : null;
  }
}
