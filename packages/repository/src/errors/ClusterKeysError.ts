import { LapseError } from './LapseError.js';

/**
 * `repository.keys` was read on a Redis Cluster, where a session's keys depend on its id
 * (hash-tagged shards): use `repository.keyspace.of(id)` for a session's keys, and
 * `repository.keyspace.channels` for the channel names.
 */
export class ClusterKeysError extends LapseError {
  constructor() {
    super(
      'ERR_LAPSE_CLUSTER_KEYS',
      'repository.keys names one layout, and on a Redis Cluster each session has the keys of its shard: use repository.keyspace.of(sessionId) for a session\'s keys, repository.keyspace.shards for every shard, repository.keyspace.channels for the channel names',
    );
  }
}
