// Spring Session's RedisIndexedSessionRepositoryITests (docs/spring-session.md §4.1), continued
// from indexed-repository.test.ts: the principal index, id changes, save modes and flush modes.
import { PRINCIPAL_NAME_INDEX_NAME, SPRING_SECURITY_CONTEXT, type Session } from '@lapse/repository';
import { describe, expect, it } from 'vitest';
import { eventually } from './support/EventRecorder.js';
import { useRepository } from './support/fixture.js';
import { expireNow, principalIndexOf } from './support/repositoryProbes.js';
import { awaitSentinel } from './support/sentinel.js';
import { testRepository } from './support/testRepository.js';
import { useRedis } from './support/redis.js';

const redis = useRedis();
const f = useRepository(redis);

/** Two ways a session gets a principal: Spring's explicit attribute, or a security context. */
const principalStyles = [
  {
    name: 'explicit PRINCIPAL_NAME_INDEX_NAME attribute',
    attribute: PRINCIPAL_NAME_INDEX_NAME,
    value: (name: string): unknown => name,
  },
  {
    name: 'SPRING_SECURITY_CONTEXT authentication name',
    attribute: SPRING_SECURITY_CONTEXT,
    value: (name: string): unknown => ({ authentication: { name, authorities: ['ROLE_USER'] } }),
  },
] as const;

describe.each(principalStyles)('principal index via $name', (style) => {
  async function saved(principal: string | null): Promise<Session> {
    const session = await f.repository.createSession();
    if (principal !== null) session.setAttribute(style.attribute, style.value(principal));
    await f.repository.save(session);
    return session;
  }

  it('findByPrincipalName finds it; after delete the index is empty and destroyed arrives', async () => {
    const session = await saved('ann');
    const found = await f.repository.findByPrincipalName('ann');
    expect([...found.keys()]).toEqual([session.id]);
    expect(found.get(session.id)?.id).toBe(session.id);
    await f.repository.deleteById(session.id);
    await f.events.next('destroyed', session.id);
    expect((await f.repository.findByPrincipalName('ann')).size).toBe(0);
    expect(await principalIndexOf(f, 'ann')).toEqual([]);
  });

  it('a real expiry removes the index entry and yields expired with the data', async () => {
    const session = await saved('exp');
    await expireNow(f, session);
    const expired = await f.events.next('expired', session.id);
    expect(expired.session?.id).toBe(session.id);
    await eventually(() => principalIndexOf(f, 'exp'), (ids) => ids.length === 0, 'index cleanup');
  });

  it('an unrelated attribute change keeps the index entry (also after reload)', async () => {
    const session = await saved('keep');
    session.setAttribute('other', 1);
    await f.repository.save(session);
    expect(await principalIndexOf(f, 'keep')).toEqual([session.id]);
    const loaded = (await f.repository.findById(session.id))!;
    loaded.setAttribute('other', 2);
    await f.repository.save(loaded);
    expect((await f.repository.findByPrincipalName('keep')).size).toBe(1);
  });

  it('removing the principal removes the entry (also after reload)', async () => {
    const direct = await saved('gone');
    direct.setAttribute(style.attribute, null);
    await f.repository.save(direct);
    expect(await principalIndexOf(f, 'gone')).toEqual([]);

    const other = await saved('gone2');
    const loaded = (await f.repository.findById(other.id))!;
    loaded.removeAttribute(style.attribute);
    await f.repository.save(loaded);
    expect(await principalIndexOf(f, 'gone2')).toEqual([]);
  });

  it('changing the principal moves the entry (also after reload)', async () => {
    const direct = await saved('from');
    direct.setAttribute(style.attribute, style.value('to'));
    await f.repository.save(direct);
    expect(await principalIndexOf(f, 'from')).toEqual([]);
    expect(await principalIndexOf(f, 'to')).toEqual([direct.id]);

    const other = await saved('from2');
    const loaded = (await f.repository.findById(other.id))!;
    loaded.setAttribute(style.attribute, style.value('to2'));
    await f.repository.save(loaded);
    expect(await principalIndexOf(f, 'from2')).toEqual([]);
    expect(await principalIndexOf(f, 'to2')).toEqual([other.id]);
  });
});

describe('changeSessionId', () => {
  it('gh-1791: after an id change, expiry of the new id empties the principal index', async () => {
    const session = await f.repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'carol');
    await f.repository.save(session);
    const oldId = session.id;
    session.changeSessionId();
    await f.repository.save(session);
    expect(await principalIndexOf(f, 'carol')).toEqual([session.id]);
    await expireNow(f, session);
    await f.events.next('expired', session.id);
    await eventually(() => principalIndexOf(f, 'carol'), (ids) => ids.length === 0, 'index cleanup');
    await awaitSentinel(f.repository, f.events);
    expect(f.events.of('destroyed', oldId)).toEqual([]);
  });

  it('changing id and principal in one save maps only the new principal to the new id', async () => {
    const session = await f.repository.createSession();
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'p1');
    await f.repository.save(session);
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'p2');
    session.changeSessionId();
    await f.repository.save(session);
    expect(await principalIndexOf(f, 'p1')).toEqual([]);
    expect(await principalIndexOf(f, 'p2')).toEqual([session.id]);
  });

  it('gh-1987: from no principal to a principal with an id change creates no entry for null', async () => {
    const session = await f.repository.createSession();
    await f.repository.save(session);
    session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, 'dave');
    session.changeSessionId();
    await f.repository.save(session);
    expect(await principalIndexOf(f, 'null')).toEqual([]);
    expect(await principalIndexOf(f, '')).toEqual([]);
    expect(await principalIndexOf(f, 'dave')).toEqual([session.id]);
  });

  it('only the id changes: the old id finds nothing, the new id has the attributes and TTLs', async () => {
    const session = await f.repository.createSession();
    session.setAttribute('a', 'b');
    await f.repository.save(session);
    const oldId = session.id;
    const newId = session.changeSessionId();
    expect(newId).not.toBe(oldId);
    await f.repository.save(session);
    expect(await f.repository.findById(oldId)).toBeNull();
    expect((await f.repository.findById(newId))?.getAttribute('a')).toBe('b');
    expect(await f.client.ttl(f.repository.keys.shadowKey(newId))).toBeGreaterThan(1790);
    expect(await f.client.ttl(f.repository.keys.sessionKey(newId))).toBeGreaterThan(2090);
    await awaitSentinel(f.repository, f.events);
    expect(f.events.of('destroyed', oldId)).toEqual([]);
  });

  it('twice before one save: only the last id exists', async () => {
    const session = await f.repository.createSession();
    await f.repository.save(session);
    const original = session.id;
    const middle = session.changeSessionId();
    const last = session.changeSessionId();
    await f.repository.save(session);
    expect(await f.repository.findById(original)).toBeNull();
    expect(await f.repository.findById(middle)).toBeNull();
    expect(await f.repository.findById(last)).not.toBeNull();
  });

  it('an attribute set before the id change is saved under the new id', async () => {
    const session = await f.repository.createSession();
    await f.repository.save(session);
    const original = session.id;
    session.setAttribute('k', 'v');
    session.changeSessionId();
    await f.repository.save(session);
    expect(await f.repository.findById(original)).toBeNull();
    expect((await f.repository.findById(session.id))?.getAttribute('k')).toBe('v');
  });

  it('on a never-saved session: the new id exists, the original never did', async () => {
    const session = await f.repository.createSession();
    const original = session.id;
    session.changeSessionId();
    await f.repository.save(session);
    expect(await f.repository.findById(original)).toBeNull();
    expect(await f.repository.findById(session.id)).not.toBeNull();
    await f.events.next('created', session.id);
    await awaitSentinel(f.repository, f.events);
    expect(f.events.of('created', original)).toEqual([]);
  });

  it('gh-962: saving twice after an id change does not fail', async () => {
    const session = await f.repository.createSession();
    const original = session.id;
    session.changeSessionId();
    await f.repository.save(session);
    await f.repository.save(session);
    expect(await f.repository.findById(session.id)).not.toBeNull();
    expect(await f.repository.findById(original)).toBeNull();
  });

  it('gh-1137 / gh-1743: id change of a deleted session saves nothing under either id, without error', async () => {
    const session = await f.repository.createSession();
    await f.repository.save(session);
    const original = session.id;
    const stale = (await f.repository.findById(original))!;
    await f.repository.deleteById(original);
    stale.changeSessionId();
    expect(await f.repository.save(stale)).toBe(false);
    expect(await f.repository.findById(original)).toBeNull();
    expect(await f.repository.findById(stale.id)).toBeNull();
    expect(await f.client.exists(f.repository.keys.sessionKey(stale.id))).toBe(0);
  });

  it('gh-1270: two copies change the id concurrently; the first wins, the second writes nothing', async () => {
    const session = await f.repository.createSession();
    await f.repository.save(session);
    const original = session.id;
    const one = (await f.repository.findById(original))!;
    const two = (await f.repository.findById(original))!;
    one.changeSessionId();
    two.changeSessionId();
    expect(await f.repository.save(one)).toBe(true);
    expect(await f.repository.save(two)).toBe(false);
    expect(await f.repository.findById(one.id)).not.toBeNull();
    expect(await f.repository.findById(two.id)).toBeNull();
    expect(await f.repository.findById(original)).toBeNull();
  });
});

describe('save modes and flush modes', () => {
  async function overwriteScenario(saveMode: 'on-set-attribute' | 'on-get-attribute' | 'always'): Promise<Record<string, unknown>> {
    const repository = await testRepository(f.client, {
      namespace: `${f.repository.keys.namespace}:${saveMode}`,
      cleanupCron: null,
      saveMode,
    });
    const session = await repository.createSession();
    session.setAttribute('read', 'original');
    session.setAttribute('untouched', 'original');
    await repository.save(session);
    const stale = (await repository.findById(session.id))!;
    const fresh = (await repository.findById(session.id))!;
    fresh.setAttribute('read', 'fresh');
    fresh.setAttribute('untouched', 'fresh');
    await repository.save(fresh);
    stale.getAttribute('read');
    stale.setAttribute('written', 'stale');
    await repository.save(stale);
    return (await repository.findById(session.id))!.toJSON().attributes;
  }

  it('on-set-attribute writes only what was set', async () => {
    expect(await overwriteScenario('on-set-attribute')).toEqual({ read: 'fresh', untouched: 'fresh', written: 'stale' });
  });

  it('on-get-attribute also writes what was read', async () => {
    expect(await overwriteScenario('on-get-attribute')).toEqual({ read: 'original', untouched: 'fresh', written: 'stale' });
  });

  it('always writes every attribute', async () => {
    expect(await overwriteScenario('always')).toEqual({ read: 'original', untouched: 'original', written: 'stale' });
  });

  it('flushMode immediate: createSession alone makes the session findable, and changes are written at once', async () => {
    const repository = await testRepository(f.client, {
      namespace: `${f.repository.keys.namespace}:immediate`,
      cleanupCron: null,
      flushMode: 'immediate',
    });
    const session = await repository.createSession();
    expect(await repository.findById(session.id)).not.toBeNull();
    session.setAttribute('now', 'written');
    await eventually(async () => (await repository.findById(session.id))?.getAttribute('now'), (v) => v === 'written', 'immediate write');
    expect(await repository.save(session)).toBe(true);
  });
});
