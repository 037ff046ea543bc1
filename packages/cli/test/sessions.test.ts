// ls, show, rm and logout against a real Redis holding sessions written by the repository.
import { SessionEventListener, type SessionEvent } from '@lapse/events';
import { PRINCIPAL_NAME_INDEX_NAME, RedisIndexedSessionRepository, type Session } from '@lapse/repository';
import { clientUnderTest, EventRecorder } from '@lapse/redis-harness/vitest';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneLine, lapse, within } from './support/lapse.js';
import { closeClientUnderTest, uniqueNamespace, useRedis } from './support/redis.js';

const redis = useRedis();
const namespace = uniqueNamespace('sessions');
let inspection: Redis;
let repository: RedisIndexedSessionRepository;
let listener: SessionEventListener;
let events: EventRecorder<SessionEvent>;
const ids: Record<string, string> = {};

/** Runs lapse against the suite's Redis and namespace. */
const run = (...args: string[]): ReturnType<typeof lapse> => lapse([...args, '--redis', redis.handle.url, '--namespace', namespace]);

async function store(name: string, principal: string | null, timeout: number): Promise<Session> {
  const session = await repository.createSession({ maxInactiveInterval: timeout });
  if (principal !== null) session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, principal);
  session.setAttribute('cart', ['book', name]);
  await repository.save(session);
  ids[name] = session.id;
  return session;
}

beforeAll(async () => {
  inspection = redis.client();
  repository = new RedisIndexedSessionRepository(await clientUnderTest(inspection), { namespace, cleanupCron: null });
  listener = new SessionEventListener(repository);
  events = new EventRecorder<SessionEvent>(listener);
  await listener.start();
  await store('ada-short', 'ada', 60);
  await store('ada-long', 'ada', 1800);
  await store('grace', 'grace', 300);
  await store('anonymous', null, 120);
});

afterAll(async () => {
  await listener?.close();
  await repository?.close();
  await closeClientUnderTest(repository?.client, inspection);
});

describe('lapse ls', () => {
  it('lists every live session, soonest to expire first, exit 0', async () => {
    const { code, stdout, stderr } = await run('ls');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +PRINCIPAL +IDLE +EXPIRES IN +TIMEOUT$/);
    expect(lines.slice(1, 5).map((l) => l.split(/ +/).slice(0, 2))).toEqual([
      [ids['ada-short'], 'ada'],
      [ids['anonymous'], '-'],
      [ids['grace'], 'grace'],
      [ids['ada-long'], 'ada'],
    ]);
    expect(lines[1]).toMatch(/ (59|60|[1-5]\d)s +1m 00s$/);
    expect(lines[5]).toBe('4 sessions');
    expect(stdout).not.toContain('\x1b');
  });

  it('--principal lists one user\'s sessions, --expiring-within those ending soon', async () => {
    const ada = await run('ls', '--principal', 'ada');
    expect(ada.code).toBe(0);
    expect(ada.stdout.split('\n').slice(1, -2).map((l) => l.split(' ')[0])).toEqual([ids['ada-short'], ids['ada-long']]);
    const soon = await run('ls', '--expiring-within', '3m', '--json');
    expect(soon.code).toBe(0);
    const listed = JSON.parse(soon.stdout) as { id: string; principal: string | null; maxInactiveInterval: number; expiresInMs: number }[];
    expect(listed.map((s) => s.id)).toEqual([ids['ada-short'], ids['anonymous']]);
    expect(listed[0]).toMatchObject({ principal: 'ada', maxInactiveInterval: 60 });
    expect(listed[0]?.expiresInMs).toBeGreaterThan(50_000);
    expect(listed[0]?.expiresInMs).toBeLessThanOrEqual(60_000);
    const nobody = await run('ls', '--principal', 'nobody');
    expect(nobody.stdout).toBe('no sessions\n');
  });

  it('uses REDIS_URL when --redis is absent', async () => {
    const viaEnv = await lapse(['ls', '--namespace', namespace, '--principal', 'grace'], { env: { REDIS_URL: redis.handle.url } });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout).toContain(ids['grace']);
  });
});

describe('lapse show', () => {
  it('shows state, times, TTLs of hash and shadow key, and attributes', async () => {
    const { code, stdout, stderr } = await run('show', ids['ada-short'] as string);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^state +live$/m);
    expect(stdout).toMatch(/^principal +ada$/m);
    expect(stdout).toMatch(/^created +\d{4}-\d\d-\d\dT[\d:.]+Z {2}\(\d+(ms|s) ago\)$/m);
    expect(stdout).toMatch(/^timeout +60s$/m);
    expect(stdout).toMatch(new RegExp(`^hash TTL +[56]m \\d\\ds {2}\\(${namespace}:sessions:${ids['ada-short']}\\)$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^shadow key TTL +\\d+s {2}\\(${namespace}:sessions:expires:${ids['ada-short']}\\)$`, 'm'));
    expect(stdout).toContain('  cart = ["book","ada-short"]');
    expect(stdout).toContain(`  ${PRINCIPAL_NAME_INDEX_NAME} = "ada"`);
  });

  it('--json gives the same as an object', async () => {
    const { code, stdout } = await run('show', ids['grace'] as string, '--json');
    expect(code).toBe(0);
    const details = JSON.parse(stdout) as {
      state: string;
      principal: string;
      maxInactiveInterval: number;
      attributes: Record<string, unknown>;
      hash: { exists: boolean; ttlMs: number };
      shadowKey: { exists: boolean; ttlMs: number };
    };
    expect(details).toMatchObject({ state: 'live', principal: 'grace', maxInactiveInterval: 300, attributes: { cart: ['book', 'grace'] } });
    expect(details.shadowKey.ttlMs).toBeLessThanOrEqual(300_000);
    expect(details.hash.ttlMs - details.shadowKey.ttlMs).toBeGreaterThan(290_000);
  });

  it('takes an id that starts with "-" (one lapse id in 64 does) as an id, not an option', async () => {
    const id = '-dash-first-aaaaaaaaaaaaaaaaaaaa';
    const session = await repository.createSession({ id });
    await repository.save(session);
    const shown = await run('show', id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(id);
    const removed = await run('rm', id);
    expect(removed.code).toBe(0);
    expect(await repository.findById(id)).toBeNull();
  });

  it('exits 1 with one line for an id that is not there', async () => {
    const { code, stdout, stderr } = await run('show', 'no-such-session');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(isOneLine(stderr)).toBe(true);
    expect(stderr).toContain(`no session "no-such-session" in namespace ${namespace}`);
    expect(stderr).toContain("'lapse ls'");
  });
});

describe('lapse rm and lapse logout', () => {
  it('rm deletes as the application would: a deleted event with the reason', async () => {
    const id = ids['anonymous'] as string;
    const { code, stdout } = await run('rm', id, '--reason', 'support ticket 42');
    expect(code).toBe(0);
    expect(stdout).toBe(`deleted    ${id}\n`);
    expect(await repository.findById(id)).toBeNull();
    expect((await events.next('deleted', id)).reason).toBe('support ticket 42');
    const shown = await run('show', id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^state +ended \(deleted or expired; data kept \d+(s|m \d\ds) more for late events\)$/m);
    expect(shown.stdout).toMatch(/^shadow key TTL +gone/m);
  });

  it('rm of an id that is not live exits 1, deleting the others', async () => {
    const id = ids['grace'] as string;
    const { code, stdout, stderr } = await run('rm', 'no-such-session', id);
    expect(code).toBe(1);
    expect(stdout).toBe(`not found  no-such-session\ndeleted    ${id}\n`);
    expect(isOneLine(stderr)).toBe(true);
    expect(stderr).toContain('1 of 2 ids were not live sessions');
    expect((await events.next('deleted', id)).reason).toBe('lapse rm');
  });

  it('logout deletes every session of a user, reason "logout"; a user without sessions is fine', async () => {
    const { code, stdout } = await run('logout', 'ada');
    expect(code).toBe(0);
    expect(stdout).toBe('logged out ada: 2 sessions deleted\n');
    expect((await repository.findByPrincipalName('ada')).size).toBe(0);
    expect((await events.next('deleted', ids['ada-short'] as string)).reason).toBe('logout');
    expect((await events.next('deleted', ids['ada-long'] as string)).reason).toBe('logout');
    const again = await run('logout', 'ada');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('logged out ada: 0 sessions deleted\n');
  });
});
