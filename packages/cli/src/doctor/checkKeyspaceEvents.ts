import { probeKeyspaceEvents, probeTargetOf, readKeyspaceEvents, type ProbeOutcome, type RedisConnection, type SessionKeys } from '@lapse/repository/internal';
import { finding, type Finding } from './Finding.js';

/** `redis-cli` arguments that reach `host:port`. */
export function redisCli(host: string, port: number): string {
  return `redis-cli -h ${host} -p ${port}`;
}

/**
 * Checks `notify-keyspace-events` on one server (a standalone Redis or one cluster master):
 * read with CONFIG GET, or, where CONFIG is not allowed and `probe` is given, by probing
 * whether `del` and `expired` events arrive.
 */
export async function checkKeyspaceEvents(
  redis: RedisConnection,
  where: { host: string; port: number; label: string; clusterMaster?: boolean },
  probe: SessionKeys | null,
): Promise<Finding[]> {
  const area = where.label;
  const state = await readKeyspaceEvents((name, args) => redis.send(name, args));
  if (state.value !== null) {
    if (state.missing.length === 0) return [finding('ok', area, `notify-keyspace-events "${state.value}" holds E, g and x`)];
    return [
      finding(
        'fail',
        area,
        `notify-keyspace-events "${state.value}" lacks ${state.missing.join(', ')}: Redis publishes no del/expired events, so sessions end without events`,
        where.clusterMaster === true
          ? `${redisCli(where.host, where.port)} CONFIG SET notify-keyspace-events ${state.wanted ?? 'Egx'} on this master, and put it in its redis.conf so it survives restarts`
          : `${redisCli(where.host, where.port)} CONFIG SET notify-keyspace-events ${state.wanted ?? 'Egx'} (lapse's listener does this itself unless configureKeyspaceNotifications is false), and put it in redis.conf so it survives restarts`,
      ),
    ];
  }
  const configAdvice = 'CONFIG is not allowed, so lapse cannot turn keyspace notifications on or re-apply them after a restart';
  const findings = [
    finding('warn', area, configAdvice, 'set notify-keyspace-events to Egx in redis.conf or the provider\'s console, and pass configureKeyspaceNotifications: false to the listener'),
  ];
  if (probe === null) return findings;
  const outcome = await probeOn(redis, probe);
  if ('error' in outcome) {
    findings.push(finding('warn', area, `could not probe for keyspace events (${outcome.error})`, 'check that notify-keyspace-events holds E, g and x, for example in the provider\'s console'));
  } else if (outcome.missing.length === 0) {
    findings.push(finding('ok', area, 'del and expired keyspace events arrive (probed with a short-lived key)'));
  } else {
    findings.push(
      finding('fail', area, `no ${outcome.missing.join(' or ')} keyspace events arrived within 2 s: sessions would end without events`, 'set notify-keyspace-events to Egx in redis.conf or the provider\'s console'),
    );
  }
  return findings;
}

/**
 * Runs lapse's keyspace probe on `redis` with a subscriber connection of its own (closed
 * afterwards), under the key label `lapse-doctor-probe`; a failing command becomes `{ error }`.
 */
async function probeOn(redis: RedisConnection, keys: SessionKeys): Promise<ProbeOutcome | { error: string }> {
  try {
    return await probeKeyspaceEvents(probeTargetOf(redis, keys), keys, { label: 'lapse-doctor-probe' });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
