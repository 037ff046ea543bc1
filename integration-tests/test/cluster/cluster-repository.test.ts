// The repository and the listener on a real local Redis Cluster (3 masters, 3 replicas):
// sessions spread over hash-tagged shards on every master, each write one script in one slot.
import { ClusterKeysError, PRINCIPAL_NAME_INDEX_NAME, type Session } from '@lapse/repository';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/EventRecorder.js';
import { uniqueNamespace } from '../support/redis.js';
import { testRepository } from '../support/testRepository.js';
import { useCluster } from '../support/useCluster.js';
import { useListeningRepository } from '../support/fixture.js';

const cluster = useCluster();
const f = useListeningRepository(() => testRepository(cluster.client(), { namespace: uniqueNamespace('cluster'), cleanupCron: '* * * * * *' }));

async function saved(user: string | null, interval = 600): Promise<Session> {
  const session = await f.repository.createSession();
  session.maxInactiveInterval = interval;
  session.setAttribute('n', Math.random());
  if (user !== null) session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, user);
  await f.repository.save(session);
  return session;
}

/**
 * Sentinels for "nothing more arrives": one session on each shard that `sessions` use (each
 * shard has its own stream), saved last with `interval`.
 */
async function sentinelsOn(sessions: readonly Session[], interval: number): Promise<Session[]> {
  const shards = new Set(sessions.map((s) => f.repository.keyspace.of(s.id).shard));
  const sentinels: Session[] = [];
  for (const shard of shards) {
    let session = await f.repository.createSession();
    while (f.repository.keyspace.of(session.id).shard !== shard) session = await f.repository.createSession();
    session.maxInactiveInterval = interval;
    await f.repository.save(session);
    sentinels.push(session);
  }
  return sentinels;
}

describe('on a Redis Cluster', () => {
  it('spreads sessions over shards on every master and stores, finds and scans them', async () => {
    const sessions = await Promise.all(Array.from({ length: 60 }, () => saved(null)));
    const client = cluster.client();
    for (const session of sessions) {
      expect(f.repository.keyspace.of(session.id).sessionKey(session.id)).toMatch(/:\{s\d+\}:sessions:/);
      expect((await f.repository.findById(session.id))?.getAttribute('n')).toBe(session.getAttribute('n'));
    }
    expect(new Set(sessions.map((s) => f.repository.keyspace.of(s.id).shard)).size).toBeGreaterThan(8);
    const masters = client.nodes('master');
    const perMaster = await Promise.all(masters.map(async (node) => (await node.keys(`${f.repository.keyspace.channels.namespace}:*:sessions:expires:*`)).length));
    expect(perMaster.every((n) => n > 0)).toBe(true);
    const scanned = new Set<string>();
    for await (const id of f.repository.scanSessionIds()) scanned.add(id);
    expect(scanned).toEqual(new Set(sessions.map((s) => s.id)));
    // One layout does not name a Cluster's keys: no silent answer from shard 0.
    expect(() => f.repository.keys).toThrow(ClusterKeysError);
    expect(() => f.repository.keys).toThrow(/keyspace\.of\(sessionId\)/);
  });

  it('principal index across shards, log out everywhere, and an id change, each with its events', async () => {
    const mine = await Promise.all(Array.from({ length: 6 }, () => saved('kim')));
    expect(new Set(mine.map((s) => f.repository.keyspace.of(s.id).shard)).size).toBeGreaterThan(1);
    expect(new Set((await f.repository.findByPrincipalName('kim')).keys())).toEqual(new Set(mine.map((s) => s.id)));

    const renamed = mine[0]!;
    const before = renamed.id;
    renamed.changeSessionId();
    expect(await f.repository.save(renamed)).toBe(true);
    expect(await f.repository.findById(before)).toBeNull();
    expect((await f.repository.findByPrincipalName('kim')).has(renamed.id)).toBe(true);

    expect(await f.repository.deleteByPrincipalName('kim', { reason: 'logout' })).toBe(6);
    const ids = mine.map((s) => s.id);
    for (const id of ids) expect((await f.events.next('deleted', id)).reason).toBe('logout');
    expect((await f.repository.findByPrincipalName('kim')).size).toBe(0);
    // One stream per shard: a sentinel ends last on each shard that held one of the six
    // before "no more" is checked.
    const sentinels = await sentinelsOn(mine, 600);
    for (const sentinel of sentinels) await f.repository.deleteById(sentinel.id);
    for (const sentinel of sentinels) await f.events.next('deleted', sentinel.id);
    expect(f.events.of('deleted').filter((e) => ids.includes(e.sessionId))).toHaveLength(6);
    expect(f.events.of('destroyed', before)).toEqual([]);
  });

  it('expiry on every master yields one expired event each, with the data', async () => {
    const short = await Promise.all(Array.from({ length: 30 }, () => saved('exp', 1)));
    // Saved last, expiring last; one stream per shard, so one on each shard the 30 went to.
    const sentinels = await sentinelsOn(short, 3);
    await f.events.count('expired', 30, 15_000);
    for (const sentinel of sentinels) await f.events.next('expired', sentinel.id, 15_000);
    const shortIds = new Set(short.map((s) => s.id));
    const expired = f.events.of('expired').filter((e) => shortIds.has(e.sessionId));
    expect(expired).toHaveLength(30);
    expect(new Set(expired.map((e) => e.sessionId))).toEqual(shortIds);
    for (const event of expired) expect(event.session?.getAttribute(PRINCIPAL_NAME_INDEX_NAME)).toBe('exp');
    await eventually(() => f.repository.findByPrincipalName('exp'), (found) => found.size === 0, 'an empty principal index');
  });
});
