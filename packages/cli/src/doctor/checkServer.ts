import { isCommandForbidden as isForbidden, type RedisConnection } from '@lapse/repository/internal';
import { finding, type Finding } from './Finding.js';
import { compareVersions, MIN_REDIS_VERSION, parseInfo } from './redisVersion.js';

/** What {@link checkServer} learnt about the server. */
export interface ServerFacts {
  /** `redis_version`, or `null` when INFO is not allowed. */
  readonly version: string | null;
  /** Whether it is a cluster node (`cluster_enabled:1`). */
  readonly cluster: boolean;
  /** `master` or `slave` (replica), or `null` when unknown. */
  readonly role: string | null;
}

/** Checks the server version (6.2 or later) and that it is a writable primary; says whether it is a cluster. */
export async function checkServer(redis: RedisConnection): Promise<{ facts: ServerFacts; findings: Finding[] }> {
  let info: Map<string, string>;
  try {
    const section = async (name: string): Promise<string> => String(await redis.send('INFO', [name]));
    info = parseInfo(`${await section('server')}\n${await section('replication')}\n${await section('cluster')}`);
  } catch (error) {
    if (!isForbidden(error)) throw error;
    return {
      facts: { version: null, cluster: false, role: null },
      findings: [
        finding('warn', 'server', 'cannot read INFO (this user may not run it), so the version and role are unknown', `make sure the server runs Redis ${MIN_REDIS_VERSION} or later and is a primary; lapse's clients may use INFO too, so grant +info`),
      ],
    };
  }
  const version = info.get('redis_version') ?? null;
  const cluster = info.get('cluster_enabled') === '1';
  const role = info.get('role') ?? null;
  const findings: Finding[] = [];
  const mode = cluster ? 'cluster node' : info.get('redis_mode') ?? 'standalone';
  const valkey = info.get('valkey_version');
  const name = valkey === undefined ? `Redis ${version ?? '?'}` : `Valkey ${valkey} (Redis ${version ?? '?'} compatible)`;
  if (version === null) {
    findings.push(finding('warn', 'server', 'INFO does not report redis_version', `make sure the server runs Redis ${MIN_REDIS_VERSION} or later`));
  } else if (compareVersions(version, MIN_REDIS_VERSION) < 0) {
    findings.push(finding('fail', 'server', `${name}, ${mode}: lapse needs Redis ${MIN_REDIS_VERSION} or later`, `upgrade the server to Redis ${MIN_REDIS_VERSION} or later (7.x recommended)`));
  } else {
    findings.push(finding('ok', 'server', `${name}, ${mode}${role === null ? '' : `, role ${role}`}`));
  }
  if (role === 'slave') {
    findings.push(finding('fail', 'server', 'this is a read-only replica: lapse writes sessions', 'point --redis (and your app) at the primary'));
  }
  return { facts: { version, cluster, role }, findings };
}
