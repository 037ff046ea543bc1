// The session commands on a real local Redis Cluster (3 masters + 3 replicas): given any node's URL,
// lapse connects with a Cluster client of the chosen library, so ls, show, rm, logout and watch see
// every master's sessions; stats says it reads a single Redis only; a database number is refused.
import { startRedisCluster, type RedisClusterHandle } from '@lapse/redis-harness';
import { PRINCIPAL_NAME_INDEX_NAME, RedisIndexedSessionRepository } from '@lapse/repository';
import { clientUnderTest } from '@lapse/redis-harness/vitest';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isOneLine, lapse, LapseProcess } from './support/lapse.js';
import { closeClientUnderTest, uniqueNamespace } from './support/redis.js';

let cluster: RedisClusterHandle;
let inspection: Cluster;
let repository: RedisIndexedSessionRepository;
let url: string;
const namespace = uniqueNamespace('cluster');
const ids: Record<string, string[]> = { ada: [], grace: [] };
const running: LapseProcess[] = [];

const run = (...args: string[]): ReturnType<typeof lapse> => lapse([...args, '--redis', url, '--namespace', namespace], { timeoutMs: 30_000 });

beforeAll(async () => {
  cluster = await startRedisCluster();
  const seed = cluster.nodes[1] ?? cluster.nodes[0];
  url = `redis://${seed?.host}:${seed?.port}`;
  inspection = new Cluster(cluster.nodes);
  inspection.on('error', () => undefined);
  repository = new RedisIndexedSessionRepository(await clientUnderTest(inspection), { namespace, cleanupCron: null });
  // Eight sessions: spread over the shards, so over every master.
  for (let i = 0; i < 8; i++) {
    const user = i < 5 ? 'ada' : 'grace';
    const session = await repository.createSession({ maxInactiveInterval: 600 + i * 60 });
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, user);
    await repository.save(session);
    ids[user]?.push(session.id);
  }
}, 120_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => child.stop()));
});

afterAll(async () => {
  await repository?.close();
  await closeClientUnderTest(repository?.client, inspection);
  await inspection?.quit().catch(() => undefined);
  await cluster?.stop();
});

describe('lapse on a Redis Cluster', () => {
  it('the sessions are on more than one master', async () => {
    const holders = new Set<number>();
    for (const node of inspection.nodes('master')) {
      const [, keys] = await node.scan('0', 'MATCH', `${namespace}:*sessions:expires:*`, 'COUNT', 1000);
      if (keys.length > 0) holders.add(node.options.port ?? 0);
    }
    expect(holders.size).toBeGreaterThan(1);
  });

  it('ls lists every session of every master; --principal one user\'s', async () => {
    const all = await run('ls', '--json');
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    const listed = (JSON.parse(all.stdout) as { id: string }[]).map((s) => s.id).sort();
    expect(listed).toEqual([...(ids['ada'] ?? []), ...(ids['grace'] ?? [])].sort());
    const grace = await run('ls', '--principal', 'grace', '--json');
    expect((JSON.parse(grace.stdout) as { id: string }[]).map((s) => s.id).sort()).toEqual([...(ids['grace'] ?? [])].sort());
  });

  it('show reads a session from its shard', async () => {
    const id = ids['ada']?.[0] ?? '';
    const shown = await run('show', id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^state +live$/m);
    expect(shown.stdout).toMatch(/^principal +ada$/m);
    expect(shown.stdout).toMatch(new RegExp(`^hash TTL +.*\\(${namespace}:\\{s\\d+\\}:sessions:${id}\\)$`, 'm'));
  });

  it('watch reports a session created on the cluster', async () => {
    const watcher = new LapseProcess(['watch', '--count', '1', '--redis', url, '--namespace', namespace]);
    running.push(watcher);
    await watcher.waitForLine('stderr', /^lapse watch: listening to namespace \S+ on the Redis Cluster of redis:\/\//, 20_000);
    const session = await repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'linus');
    await repository.save(session);
    expect(await watcher.exitCode(20_000)).toBe(0);
    expect(watcher.stdout.filter((line) => line !== '')).toEqual([expect.stringMatching(new RegExp(` created {2}${session.id} {2}principal=linus `))]);
    await repository.deleteById(session.id);
  });

  it('rm and logout delete on every master', async () => {
    const grace = ids['grace']?.[0] ?? '';
    const removed = await run('rm', grace);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe(`deleted    ${grace}\n`);
    expect(await repository.findById(grace)).toBeNull();
    const out = await run('logout', 'ada');
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('logged out ada: 5 sessions deleted\n');
    expect((await repository.findByPrincipalName('ada')).size).toBe(0);
    expect((await repository.findByPrincipalName('grace')).size).toBe(2);
  });

  it('stats says it reads a single Redis only, exit 1', async () => {
    const stats = await run('stats');
    expect(stats.code).toBe(1);
    expect(isOneLine(stats.stderr)).toBe(true);
    expect(stats.stderr).toMatch(/^lapse stats: this is a Redis Cluster, and lapse stats reads a single Redis only/);
  });

  it('a database number is refused before anything is read', async () => {
    const refused = await lapse(['ls', '--redis', `${url}/3`, '--namespace', namespace]);
    expect(refused.code).toBe(1);
    expect(isOneLine(refused.stderr)).toBe(true);
    expect(refused.stderr).toMatch(/^lapse ls: cannot select database 3 \(.*SELECT is not allowed in cluster mode/);
  });
});
