import type { RedisIndexedSessionRepositoryOptions } from '@lapse/repository';

/** lapse's two expiration indexes. */
export type IndexKind = NonNullable<RedisIndexedSessionRepositoryOptions['expirationIndex']>;

export const INDEX_KINDS: readonly IndexKind[] = ['minute-buckets', 'sorted-set'];

export function indexLabel(kind: IndexKind): string {
  return kind === 'sorted-set' ? 'sorted set' : 'minute buckets';
}
