// lapse doctor on a "managed" Redis: started with `--rename-command CONFIG ""`, as providers that forbid
// CONFIG do, with the notification flags already right. Every check must still be reported (events
// probed, eviction from INFO, ACL with CONFIG absent), and the memory advice must name the field whose
// NAME is too long (Spring's principal attribute, 98 bytes) and the setting that keeps sessions compact.
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { clientUnderTest } from '@lapse/redis-harness/vitest';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lapse } from './support/lapse.js';
import { closeClientUnderTest, useRedis } from './support/redis.js';

const redis = useRedis({ fresh: true, args: ['--rename-command', 'CONFIG', '', '--notify-keyspace-events', 'Egx'] });
/** The attribute a Spring Security app files the user under: its hash field name is 98 bytes. */
const PRINCIPAL_FIELD = 'sessionAttr:org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME';

const doctor = (...args: string[]): ReturnType<typeof lapse> => lapse(['doctor', '--redis', redis.handle.url, ...args]);

describe('lapse doctor where CONFIG is renamed away', () => {
  let repository: RedisIndexedSessionRepository;
  let inspection: Redis;
  const ids: string[] = [];
  beforeAll(async () => {
    inspection = redis.client();
    repository = new RedisIndexedSessionRepository(await clientUnderTest(inspection), { cleanupCron: null });
  });
  afterAll(async () => {
    for (const id of ids) await repository.deleteById(id);
    await repository.close();
    await closeClientUnderTest(repository.client, inspection);
  });

  it('really has no CONFIG command', async () => {
    await expect(redis.client().config('GET', 'notify-keyspace-events')).rejects.toThrow(/unknown command 'CONFIG'/i);
  });

  it('probes for keyspace events and reports every check, exit 0 with one warning', async () => {
    const { code, stdout, stderr } = await doctor();
    expect(stderr).toBe('');
    expect(stdout).not.toContain("Command 'CONFIG' not found");
    expect(stdout).toMatch(/^ok +server +Redis \d+\.\d+\.\d+, standalone, role master$/m);
    expect(stdout).toMatch(/^warn +events +CONFIG is not allowed, so lapse cannot turn keyspace notifications on/m);
    expect(stdout).toMatch(/^ok +events +del and expired keyspace events arrive \(probed with a short-lived key\)$/m);
    expect(stdout).toMatch(/^ok +memory +no maxmemory limit, so no session is evicted$/m);
    expect(stdout).toMatch(/^ok +acl +CONFIG is renamed or disabled on this server: not checked/m);
    expect(stdout).toMatch(/^ok +acl +user default may run every command lapse needs on namespace spring:session$/m);
    expect(stdout).toMatch(/^0 problems, 1 warning$/m);
    expect(code).toBe(0);
    expect(await redis.client().keys('spring:session:lapse-doctor-probe:*')).toEqual([]);
  });

  it("names the oversized field NAME (the principal attribute's) and the setting that keeps the hash compact", async () => {
    for (const user of ['ada', 'grace']) {
      const session = await repository.createSession();
      session.setAttribute('small', 1);
      await repository.save(session);
      ids.push(session.id);
      // What a Spring Security app stores: a short value under a 98-byte field name.
      await redis.client().hset(repository.keys.sessionKey(session.id), PRINCIPAL_FIELD, JSON.stringify(user));
    }
    expect(Buffer.byteLength(PRINCIPAL_FIELD)).toBe(98);
    const { code, stdout } = await doctor();
    expect(stdout).toContain(
      `warn  memory  2 of 2 sampled sessions are stored as hashtables, about twice the memory of the compact encoding: ` +
        `the field name ${PRINCIPAL_FIELD} (98 bytes) is over hash-max-listpack-value 64 (the default: CONFIG GET is not allowed)`,
    );
    expect(stdout).toMatch(/^ +fix: set hash-max-listpack-value 128 in redis\.conf or the provider's console \(CONFIG is not allowed here\); sessions saved afterwards are stored compactly$/m);
    expect(stdout).not.toMatch(/large values/);
    expect(code).toBe(0); // warnings alone
  });
});
