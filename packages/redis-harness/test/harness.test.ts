import { describe, it, expect } from 'vitest';
import { Redis, Cluster } from 'ioredis';
import { startRedis, startRedisCluster } from '../src/index.js';

/** A client that fails fast instead of retrying, so "connection refused" surfaces as an error. */
function connect(url: string): Redis {
  return new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
}

describe('startRedis', () => {
  it('gives an empty, working server that is gone after stop()', async () => {
    const redis = await startRedis({ fresh: true });
    const client = connect(redis.url);
    try {
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      expect(await client.dbsize()).toBe(0);
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
    } finally {
      client.disconnect();
      await redis.stop();
    }
    await redis.stop(); // idempotent

    const after = connect(redis.url);
    const errors: Error[] = [];
    after.on('error', (err: Error) => errors.push(err));
    await expect(after.connect()).rejects.toThrow();
    after.disconnect();
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toContain('ECONNREFUSED');
  });

  it('restart() keeps data with --appendonly yes', async () => {
    const redis = await startRedis({ fresh: true, args: ['--appendonly', 'yes'] });
    try {
      if (redis.source !== 'binary') {
        await expect(redis.restart()).rejects.toThrow(/only supported/);
        return;
      }
      const writer = connect(redis.url);
      await writer.connect();
      await writer.set('survivor', 'yes');
      writer.disconnect();

      await redis.restart({ downtimeMs: 50 });

      const reader = connect(redis.url);
      await reader.connect();
      expect(await reader.get('survivor')).toBe('yes');
      expect(await reader.config('GET', 'port')).toEqual(['port', String(redis.port)]);
      reader.disconnect();
    } finally {
      await redis.stop();
    }
    await expect(redis.restart()).rejects.toThrow(/stopped/);
  });

  it('restart({ wipeData: true }) comes back empty, even with --appendonly yes; without persistence a plain restart does too', async () => {
    for (const args of [['--appendonly', 'yes', '--appendfsync', 'always'], []]) {
      const redis = await startRedis({ fresh: true, args });
      try {
        if (redis.source !== 'binary') {
          await expect(redis.restart({ wipeData: true })).rejects.toThrow(/only supported/);
          return;
        }
        const writer = connect(redis.url);
        await writer.connect();
        await writer.set('lost', 'yes');
        writer.disconnect();

        await redis.restart(args.length === 0 ? {} : { wipeData: true });

        const reader = connect(redis.url);
        await reader.connect();
        expect(await reader.dbsize()).toBe(0);
        reader.disconnect();
      } finally {
        await redis.stop();
      }
    }
  });
});

describe('startRedisCluster', () => {
  it('gives a ready 3+3 cluster that ioredis can use', async () => {
    const cluster = await startRedisCluster();
    const client = new Cluster(cluster.nodes, { clusterRetryStrategy: () => null });
    try {
      expect(cluster.masters).toBe(3);
      expect(cluster.replicasPerMaster).toBe(1);
      expect(cluster.nodes).toHaveLength(3);
      expect(cluster.processes).toHaveLength(6);
      expect(new Set(cluster.processes.map((p) => p.pid)).size).toBe(6);

      // {a}, {b}, {c} hash to slots 15495, 3300, 7365: one per master of a 3-master cluster.
      const keys = ['{a}:k', '{b}:k', '{c}:k'];
      for (const key of keys) await client.set(key, `v-${key}`);
      for (const key of keys) expect(await client.get(key)).toBe(`v-${key}`);
      const slots = await Promise.all(keys.map((k) => client.cluster('KEYSLOT', k)));
      expect(new Set(slots).size).toBe(3);
      expect(client.nodes('master').length).toBe(3);
    } finally {
      client.disconnect();
      await cluster.stop();
    }
    await cluster.stop(); // idempotent
    for (const { pid } of cluster.processes) expect(() => process.kill(pid, 0)).toThrow();
  });
});
