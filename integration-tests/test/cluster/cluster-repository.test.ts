// The repository and the listener on a real local Redis Cluster (3 masters, 3 replicas):
// sessions spread over hash-tagged shards on every master, each write one script in one slot.
import { SessionEventListener } from '@lapse/events';
import { ClusterKeysError, PRINCIPAL_NAME_INDEX_NAME, type RedisIndexedSessionRepository, type Session } from '@lapse/repository';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventRecorder, eventually } from '../support/EventRecorder.js';
import { uniqueNamespace } from '../support/redis.js';
import { testRepository } from '../support/testRepository.js';
import { useCluster } from '../support/useCluster.js';

const cluster = useCluster();
let repository: RedisIndexedSessionRepository;
let listener: SessionEventListener;
let events: EventRecorder;

beforeEach(async () => {
  repository = testRepository(cluster.client(), { namespace: uniqueNamespace('cluster'), cleanupCron: '* * * * * *' });
  listener = new SessionEventListener(repository);
  events = new EventRecorder(listener);
  await listener.start();
});
afterEach(async () => {
  await listener.close();
  await repository.close();
});

async function saved(user: string | null, interval = 600): Promise<Session> {
  const session = await repository.createSession();
  session.maxInactiveInterval = interval;
  session.setAttribute('n', Math.random());
  if (user !== null) session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, user);
  await repository.save(session);
  return session;
}

describe('on a Redis Cluster', () => {
  it('spreads sessions over shards on every master and stores, finds and scans them', async () => {
    const sessions = await Promise.all(Array.from({ length: 60 }, () => saved(null)));
    const client = cluster.client();
    for (const session of sessions) {
      expect(repository.keyspace.of(session.id).sessionKey(session.id)).toMatch(/:\{s\d+\}:sessions:/);
      expect((await repository.findById(session.id))?.getAttribute('n')).toBe(session.getAttribute('n'));
    }
    expect(new Set(sessions.map((s) => repository.keyspace.of(s.id).shard)).size).toBeGreaterThan(8);
    const masters = client.nodes('master');
    const perMaster = await Promise.all(masters.map(async (node) => (await node.keys(`${repository.keyspace.channels.namespace}:*:sessions:expires:*`)).length));
    expect(perMaster.every((n) => n > 0)).toBe(true);
    const scanned = new Set<string>();
    for await (const id of repository.scanSessionIds()) scanned.add(id);
    expect(scanned).toEqual(new Set(sessions.map((s) => s.id)));
    // One layout does not name a Cluster's keys: no silent answer from shard 0.
    expect(() => repository.keys).toThrow(ClusterKeysError);
    expect(() => repository.keys).toThrow(/keyspace\.of\(sessionId\)/);
  });

  it('principal index across shards, log out everywhere, and an id change, each with its events', async () => {
    const mine = await Promise.all(Array.from({ length: 6 }, () => saved('kim')));
    expect(new Set(mine.map((s) => repository.keyspace.of(s.id).shard)).size).toBeGreaterThan(1);
    expect(new Set((await repository.findByPrincipalName('kim')).keys())).toEqual(new Set(mine.map((s) => s.id)));

    const renamed = mine[0]!;
    const before = renamed.id;
    renamed.changeSessionId();
    expect(await repository.save(renamed)).toBe(true);
    expect(await repository.findById(before)).toBeNull();
    expect((await repository.findByPrincipalName('kim')).has(renamed.id)).toBe(true);

    expect(await repository.deleteByPrincipalName('kim', { reason: 'logout' })).toBe(6);
    const ids = mine.map((s) => s.id);
    for (const id of ids) expect((await events.next('deleted', id)).reason).toBe('logout');
    expect((await repository.findByPrincipalName('kim')).size).toBe(0);
  });

  it('expiry on every master yields one expired event each, with the data', async () => {
    const short = await Promise.all(Array.from({ length: 30 }, () => saved('exp', 1)));
    await events.count('expired', 30, 15_000);
    const expired = events.of('expired');
    expect(new Set(expired.map((e) => e.sessionId))).toEqual(new Set(short.map((s) => s.id)));
    for (const event of expired) expect(event.session?.getAttribute(PRINCIPAL_NAME_INDEX_NAME)).toBe('exp');
    await eventually(() => repository.findByPrincipalName('exp'), (found) => found.size === 0, 'an empty principal index');
  });
});
