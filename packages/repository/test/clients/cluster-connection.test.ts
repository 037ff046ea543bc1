import { createHash } from 'node:crypto';
import { startRedisCluster, type RedisClusterHandle } from '@lapse/redis-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterKeysError, PRINCIPAL_NAME_INDEX_NAME, RedisIndexedSessionRepository } from '../../src/index.js';
import { toRedisConnection, type RedisConnection } from '../../src/internal.js';
import { CLIENT_VARIANTS, closeAll, waitFor } from './clientVariants.js';

let cluster: RedisClusterHandle | undefined;
beforeAll(async () => {
  // Three masters are what masters() and routing need; replicas add nothing here.
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 0 });
}, 60_000);
afterAll(async () => {
  await closeAll();
  await cluster?.stop();
});

const lua = 'return { KEYS[1], ARGV[1], redis.call("INCR", KEYS[1]) }';
const source = { sha: createHash('sha1').update(lua).digest('hex'), source: lua };

// RESP3 cluster replies go through the same normalisation as the single-server tests prove.
describe.each(CLIENT_VARIANTS.filter((v) => v.resp === 2 || v.library === 'node-redis'))('$name on a Cluster', (variant) => {
  const open = async (): Promise<RedisConnection> => {
    if (cluster === undefined) throw new Error('the cluster is started in beforeAll');
    return toRedisConnection(await variant.cluster(cluster.nodes));
  };

  it('lists every master from the slot map, and routes by key', async () => {
    const connection = await open();
    expect(connection.clustered).toBe(true);
    expect(connection.requestedDatabase).toBe(0);
    expect(await connection.currentDatabase()).toBe(0);
    const masters = await connection.masters();
    const expected = (cluster as RedisClusterHandle).nodes.map((n) => `${n.host}:${n.port}`).sort();
    expect(masters.map((m) => m.address).sort()).toEqual(expected);

    // Keys in every slot range: each is stored on exactly one master, found by routing.
    const keys = ['{a}k', '{b}k', '{c}k', '{d}k', '{e}k', '{f}k'].map((k) => `${variant.name}:${k}`);
    for (const key of keys) expect(await connection.send('SET', [key, 'v'], key)).toBe('OK');
    for (const key of keys) expect(await connection.send('GET', [key], key)).toBe('v');
    const found: string[] = [];
    for (const master of masters) found.push(...((await master.send('KEYS', [`${variant.name}:*k`])) as string[]));
    expect(found.sort()).toEqual([...keys].sort());
    const counter = `${keys[0] as string}:n`;
    expect(await connection.runScript(source, [counter], ['x'])).toEqual([counter, 'x', 1]);
    const stop = connection.onTopologyChange(() => undefined);
    stop();
  });

  it('subscribes on a given master', async () => {
    const connection = await open();
    const [master] = await connection.masters();
    const subscriber = await connection.openSubscriber(master);
    const received: string[] = [];
    await subscriber.subscribe(['lapse-test'], (channel, message) => received.push(`${channel}=${message}`));
    await master?.send('PUBLISH', ['lapse-test', 'one']);
    await master?.send('PUBLISH', ['lapse-test', 'sentinel']);
    await waitFor(received, (r) => r.includes('lapse-test=sentinel'), 'the sentinel');
    expect(received).toEqual(['lapse-test=one', 'lapse-test=sentinel']);
    await subscriber.close();
  });
});

describe.each(CLIENT_VARIANTS)('the repository on $name on a Cluster', (variant) => {
  it('stores sessions over the shards, finds, scans (every master) and deletes them', async () => {
    if (cluster === undefined) throw new Error('the cluster is started in beforeAll');
    const repository = new RedisIndexedSessionRepository(await variant.cluster(cluster.nodes), {
      namespace: `cl${variant.name.replace(/\W/g, '')}`,
      cleanupCron: null,
    });
    expect(() => repository.keys).toThrow(ClusterKeysError);
    const sessions = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const session = await repository.createSession();
        session.setAttribute('i', i);
        session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'kim');
        await repository.save(session);
        return session;
      }),
    );
    for (const session of sessions) expect((await repository.findById(session.id))?.getAttribute('i')).toBe(session.getAttribute('i'));
    const scanned = new Set<string>();
    for await (const id of repository.scanSessionIds()) scanned.add(id);
    expect(scanned).toEqual(new Set(sessions.map((s) => s.id)));
    expect((await repository.findByPrincipalName('kim')).size).toBe(24);
    expect(await repository.deleteByPrincipalName('kim')).toBe(24);
    expect((await repository.findByPrincipalName('kim')).size).toBe(0);
    await repository.close();
  });
});
