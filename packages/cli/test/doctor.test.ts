// lapse doctor against a real standalone Redis (flags, eviction, ACL via DRYRUN, probing where
// CONFIG is forbidden) and a real local Redis Cluster (topology, per-master flags).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startRedisCluster, type RedisClusterHandle } from '@lapse/redis-harness';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { clientUnderTest } from '@lapse/redis-harness/vitest';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lapse } from './support/lapse.js';
import { closeClientUnderTest, useRedis } from './support/redis.js';

// Fresh: the tests change notify-keyspace-events, maxmemory and users.
const redis = useRedis({ fresh: true });
let admin: Redis;

/** The README's restricted user (read from the README, so the two cannot drift apart). */
const APP_RULES = (() => {
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
  const line = /```text\nACL SETUSER lapse ([^\n]+)\n```/.exec(readme)?.[1];
  if (line === undefined) throw new Error('README.md has no ACL SETUSER line for the restricted user');
  return line.split(' ').map((word) => (word === '>change-me' ? '>s3cret' : word));
})();

const doctor = (...args: string[]): ReturnType<typeof lapse> => lapse(['doctor', '--redis', redis.handle.url, ...args]);

beforeAll(async () => {
  admin = redis.client();
});

describe('lapse doctor on a standalone Redis', () => {
  it('all well: every check ok, exit 0', async () => {
    await admin.config('SET', 'notify-keyspace-events', 'Egx');
    const { code, stdout, stderr } = await doctor();
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^lapse doctor: redis:\/\/\S+, namespace spring:session, database 0$/m);
    expect(stdout).toMatch(/^ok +server +Redis \d+\.\d+\.\d+, standalone, role master$/m);
    expect(stdout).toMatch(/^ok +events +notify-keyspace-events "(Egx|gxE)" holds E, g and x$/m);
    expect(stdout).toMatch(/^ok +memory +/m);
    expect(stdout).toMatch(/^ok +acl +user default may run every command lapse needs on namespace spring:session$/m);
    expect(stdout).toMatch(/^0 problems, 0 warnings$/m);
    expect(stdout).not.toContain('\x1b');
  });

  it('missing flags fail with the command that fixes them; eviction is a warning; exit 1', async () => {
    await admin.config('SET', 'notify-keyspace-events', 'K');
    await admin.config('SET', 'maxmemory', '100mb');
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const { code, stdout } = await doctor();
      expect(code).toBe(1);
      expect(stdout).toMatch(/^FAIL +events +notify-keyspace-events "K" lacks E, g, x: /m);
      expect(stdout).toContain(`fix: redis-cli -h ${redis.handle.host} -p ${redis.handle.port} CONFIG SET notify-keyspace-events KEgx`);
      expect(stdout).toMatch(/^warn +memory +maxmemory 104857600 with maxmemory-policy allkeys-lru: /m);
      expect(stdout).toContain('CONFIG SET maxmemory-policy noeviction');
      expect(stdout).toMatch(/^1 problem, 1 warning$/m);

      const json = await doctor('--json');
      expect(json.code).toBe(1);
      const report = JSON.parse(json.stdout) as { problems: number; warnings: number; findings: { status: string; area: string; fix?: string }[] };
      expect(report).toMatchObject({ problems: 1, warnings: 1 });
      expect(report.findings.filter((f) => f.status === 'fail').map((f) => f.area)).toEqual(['events']);
    } finally {
      await admin.config('SET', 'notify-keyspace-events', 'Egx');
      await admin.config('SET', 'maxmemory', '0');
    }
  });

  it('--acl-user: names what a restricted user lacks and the ACL SETUSER that grants it', async () => {
    const user = 'lapse-doctor-app';
    const rules = APP_RULES.filter((rule) => rule !== '+evalsha' && rule !== '+scan' && !rule.startsWith('&spring:session:event'));
    await admin.call('ACL', 'SETUSER', user, ...rules);
    const { code, stdout } = await doctor('--acl-user', user);
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`^FAIL +acl +user ${user} may not run EVALSHA, PUBLISH, PSUBSCRIBE as lapse needs on namespace spring:session$`, 'm'));
    expect(stdout).toContain(`fix: ACL SETUSER ${user} +evalsha &spring:session:event:0:created:*`);
    expect(stdout).toMatch(new RegExp(`^warn +acl +user ${user} may not run SCAN, needed by scanSessionIds\\(\\), lapse ls and lapse stats$`, 'm'));

    await admin.call('ACL', 'SETUSER', user, '+evalsha', '&spring:session:event:0:created:*', '+scan');
    const granted = await doctor('--acl-user', user);
    expect(granted.code).toBe(0);
    expect(granted.stdout).toMatch(new RegExp(`^ok +acl +user ${user} may run every command lapse needs`, 'm'));
  });

  it('as a user without CONFIG or ACL rights: probes for events, warns what it cannot check, exit 0', async () => {
    const user = 'lapse-doctor-managed';
    const rules = APP_RULES.filter((rule) => !rule.startsWith('+config'));
    await admin.call('ACL', 'SETUSER', user, ...rules);
    const { code, stdout } = await lapse(['doctor', '--redis', `redis://${user}:s3cret@${redis.handle.host}:${redis.handle.port}`]);
    expect(code).toBe(0);
    expect(stdout).toContain(`lapse doctor: redis://${user}:***@`);
    expect(stdout).toMatch(/^warn +events +CONFIG is not allowed, so lapse cannot turn keyspace notifications on/m);
    expect(stdout).toContain('pass configureKeyspaceNotifications: false');
    expect(stdout).toMatch(/^ok +events +del and expired keyspace events arrive \(probed with a short-lived key\)$/m);
    expect(stdout).toMatch(new RegExp(`^warn +acl +cannot check the permissions of user ${user}: .*\\n +fix: run 'lapse doctor --acl-user ${user}' as an admin user$`, 'm'));
    expect(await admin.keys('spring:session:lapse-doctor-probe:*')).toEqual([]);
  });

  it('sessions stored as hashtables (one long attribute) are a memory warning naming the setting that keeps them compact', async () => {
    await admin.config('SET', 'notify-keyspace-events', 'Egx');
    const repository = new RedisIndexedSessionRepository(await clientUnderTest(admin), { cleanupCron: null });
    const saveThree = async (): Promise<string[]> => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const session = await repository.createSession();
        session.setAttribute('small', i);
        if (i === 0) session.setAttribute('cookie', 'x'.repeat(200)); // 202 bytes as JSON
        await repository.save(session);
        ids.push(session.id);
      }
      return ids;
    };
    const ids = await saveThree();
    try {
      const { code, stdout } = await doctor();
      expect(code).toBe(0); // a warning alone
      expect(stdout).toMatch(
        /^warn +memory +1 of 3 sampled sessions are stored as hashtables, about twice the memory of the compact encoding: the value of sessionAttr:cookie \(202 bytes\) is over hash-max-listpack-value 64$/m,
      );
      expect(stdout).toContain(`fix: redis-cli -h ${redis.handle.host} -p ${redis.handle.port} CONFIG SET hash-max-listpack-value 256 (and the same in redis.conf)`);

      // As the fix says: with the setting raised, sessions saved afterwards are compact.
      await admin.config('SET', 'hash-max-listpack-value', '256');
      for (const id of ids.splice(0)) await repository.deleteById(id);
      ids.push(...(await saveThree()));
      const after = await doctor();
      expect(after.stdout).toMatch(/^ok +memory +3 sampled sessions are stored compactly \(listpack\)$/m);
      expect(after.stdout).toMatch(/^0 problems, 0 warnings$/m);
    } finally {
      await admin.config('SET', 'hash-max-listpack-value', '64');
      for (const id of ids) await repository.deleteById(id);
      await repository.close();
      await closeClientUnderTest(repository.client, admin);
    }
  });
});

describe('lapse doctor on a Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    // Two of three masters have the flags: the third is the problem to find.
    for (const node of cluster.nodes.slice(0, 2)) {
      const client = new Redis(node.port, node.host);
      await client.config('SET', 'notify-keyspace-events', 'Egx');
      await client.quit();
    }
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('reports the topology, the flags of every master, and the sharded key layout', async () => {
    const [first, second, third] = cluster.nodes;
    const { code, stdout, stderr } = await lapse(['doctor', '--redis', `redis://${first?.host}:${first?.port}`]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^ok +server +Redis [\d.]+, cluster node, role master$/m);
    expect(stdout).toMatch(/^ok +cluster +3 masters, 3 replicas, 16384\/16384 slots, state ok: /m);
    for (const node of [first, second, third]) expect(stdout).toContain(`${node?.host}:${node?.port} [`);
    expect(stdout).toMatch(new RegExp(`^ok +events@${first?.host}:${first?.port} +notify-keyspace-events "(Egx|gxE)"`, 'm'));
    expect(stdout).toMatch(new RegExp(`^ok +events@${second?.host}:${second?.port} +notify-keyspace-events "(Egx|gxE)"`, 'm'));
    expect(stdout).toMatch(new RegExp(`^FAIL +events@${third?.host}:${third?.port} +notify-keyspace-events "" lacks E, g, x`, 'm'));
    expect(stdout).toContain(`fix: redis-cli -h ${third?.host} -p ${third?.port} CONFIG SET notify-keyspace-events Egx on this master`);
    expect(stdout).toMatch(/^ok +cluster +lapse spreads sessions over hash-tagged shards on the masters .*\{s0\}:sessions:<id>$/m);
    expect(stdout).toMatch(/^1 problem, 0 warnings$/m);

    const json = await lapse(['doctor', '--json', '--redis', `redis://${second?.host}:${second?.port}`]);
    const report = JSON.parse(json.stdout) as { problems: number; findings: { status: string; area: string }[] };
    // The failing findings themselves, so that a failure says which check failed and why.
    expect(report.findings.filter((f) => f.status === 'fail')).toEqual([expect.objectContaining({ area: `events@${third?.host}:${third?.port}` })]);
    expect(json.code).toBe(1);
    expect(report.problems).toBe(1);
    const statusOf = new Map(report.findings.map((f) => [f.area, f.status]));
    expect([first, second, third].map((node) => statusOf.get(`events@${node?.host}:${node?.port}`))).toEqual(['ok', 'ok', 'fail']);
  });
});
