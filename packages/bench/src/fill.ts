import { RedisIndexedSessionRepository, type RedisIndexedSessionRepositoryOptions } from '@lapse/repository';
import { BUCKET_RETENTION_MS, SESSION_DATA_GRACE_MS } from '@lapse/repository/internal';
import type { Redis } from 'ioredis';
import { lapseRepositoryOn } from './lapse-repository.js';
import { saveNewSession } from './peers/lapse.js';

export interface FillSpec {
  readonly count: number;
  /** Timeout of session i, in seconds. */
  interval(i: number): number;
  attributes(i: number): Readonly<Record<string, unknown>>;
}

const BATCH = 1000;

/**
 * Writes, for each session in ARGV, what the save script writes for a new session without a
 * principal: HSET of the three metadata fields and the attributes, SET of the shadow key with
 * PX, PEXPIRE of the hash (timeout + grace), and the expiration-index entry (a minute bucket
 * with its PEXPIREAT and registry entry, or the sorted set).
 * ARGV: 1 kind (m|z), 2 session key prefix, 3 shadow key prefix, 4 bucket key prefix,
 * 5 bucket registry, 6 sorted set, 7 grace ms, 8 bucket retention ms, 9 now (ms), 10 now
 * serialized, 11 n attribute names, then the names, then per session: id, timeout (s),
 * timeout serialized, the n serialized values.
 */
const FILL_SCRIPT = `
local kind = ARGV[1]
local grace, retention = tonumber(ARGV[7]), tonumber(ARGV[8])
local now, now_text = tonumber(ARGV[9]), ARGV[10]
local n_names = tonumber(ARGV[11])
local names = {}
for j = 1, n_names do names[j] = 'sessionAttr:' .. ARGV[11 + j] end
local at = 12 + n_names
local per = 3 + n_names
local filed = {}
local count = 0
while at + per - 1 <= #ARGV do
  local id = ARGV[at]
  local timeout_ms = tonumber(ARGV[at + 1]) * 1000
  local hash = ARGV[2] .. id
  local fields = { 'creationTime', now_text, 'maxInactiveInterval', ARGV[at + 2], 'lastAccessedTime', now_text }
  for j = 1, n_names do
    fields[#fields + 1] = names[j]
    fields[#fields + 1] = ARGV[at + 2 + j]
  end
  redis.call('HSET', hash, unpack(fields))
  redis.call('SET', ARGV[3] .. id, '0', 'PX', timeout_ms)
  redis.call('PEXPIRE', hash, timeout_ms + grace)
  local expires = now + timeout_ms
  if kind == 'z' then
    redis.call('ZADD', ARGV[6], string.format('%.0f', expires), id)
  else
    local minute = string.format('%.0f', math.floor(expires / 60000) * 60000 + 60000)
    redis.call('SADD', ARGV[4] .. minute, 'expires:' .. id)
    if not filed[minute] then
      filed[minute] = true
      redis.call('PEXPIREAT', ARGV[4] .. minute, string.format('%.0f', tonumber(minute) + retention))
      redis.call('ZADD', ARGV[5], minute, minute)
    end
  end
  count = count + 1
  at = at + per
end
return count
`;

/**
 * Writes what `repository.save()` writes for a new session (hash with the three metadata
 * fields and the attributes, shadow key, TTLs, expiration-index entry) with a Lua script, a
 * thousand sessions per call: tens of times faster than saving through the repository, for
 * filling Redis with a million sessions. {@link checkFillLayout} proves the layout is the
 * repository's. Every session must have the same attribute names.
 */
export async function fillLapseLayout(redis: Redis, repository: RedisIndexedSessionRepository, spec: FillSpec, onProgress?: (done: number) => void): Promise<string[]> {
  const { keys, options } = repository;
  const serialize = (value: unknown): string => options.serializer.serialize(value);
  const names = spec.count === 0 ? [] : Object.keys(spec.attributes(0));
  const ids: string[] = [];
  const inFlight: Promise<unknown>[] = [];
  for (let start = 0; start < spec.count; start += BATCH) {
    const now = Date.now();
    const args: (string | number)[] = [
      options.expirationIndex === 'sorted-set' ? 'z' : 'm',
      keys.sessionKeyPrefix,
      keys.shadowKeyPrefix,
      keys.bucketKeyPrefix,
      keys.bucketRegistryKey,
      keys.expirationSortedSetKey,
      SESSION_DATA_GRACE_MS,
      BUCKET_RETENTION_MS,
      now,
      serialize(now),
      names.length,
      ...names,
    ];
    for (let i = start; i < Math.min(spec.count, start + BATCH); i++) {
      const id = options.sessionIdGenerator.generate();
      ids.push(id);
      const interval = spec.interval(i);
      const attributes = spec.attributes(i);
      args.push(id, interval, serialize(interval), ...names.map((name) => serialize(attributes[name])));
    }
    inFlight.push(redis.eval(FILL_SCRIPT, 0, ...args));
    if (inFlight.length >= 2) await inFlight.shift();
    onProgress?.(Math.min(spec.count, start + BATCH));
  }
  await Promise.all(inFlight);
  return ids;
}

/** Every key of a namespace with ids and minutes replaced, its type, whether it has a TTL, and its fields or members. */
async function layoutOf(redis: Redis, namespace: string, id: string): Promise<string[]> {
  const normalize = (text: string): string => text.split(id).join('<id>').replace(/\d{13}/g, '<ms>');
  const lines: string[] = [];
  for (const key of await redis.keys(`${namespace}:*`)) {
    const type = await redis.type(key);
    const ttl = (await redis.pttl(key)) > 0 ? 'ttl' : 'no ttl';
    let content: string[] = [];
    if (type === 'hash') content = (await redis.hkeys(key)).sort();
    if (type === 'set') content = (await redis.smembers(key)).map(normalize).sort();
    if (type === 'zset') content = (await redis.zrange(key, '0', '-1')).map(normalize).sort();
    if (type === 'string') content = [JSON.stringify(await redis.get(key))];
    lines.push(`${normalize(key)} ${type} ${ttl} [${content.join(' ')}]`);
  }
  return lines.sort();
}

/**
 * Saves one session through the repository and writes one with {@link fillLapseLayout}, each in
 * a scratch namespace, and fails unless both left the same keys, types, TTLs, fields and index
 * entries, and the repository can read the filled one back.
 */
export async function checkFillLayout(redis: Redis, options: RedisIndexedSessionRepositoryOptions): Promise<void> {
  const attributes = { user: 'user-000001', csrf: '0123456789abcdef0123456789abcdef', locale: 'en-US' };
  const viaSave = lapseRepositoryOn(redis, { ...options, namespace: 'bench:layout-save', cleanupCron: null });
  const viaFill = lapseRepositoryOn(redis, { ...options, namespace: 'bench:layout-fill', cleanupCron: null });
  try {
    const saved = await saveNewSession(viaSave, 0, 1800, attributes);
    const [filled] = await fillLapseLayout(redis, viaFill, { count: 1, interval: () => 1800, attributes: () => attributes });
    const expected = await layoutOf(redis, 'bench:layout-save', saved);
    const actual = await layoutOf(redis, 'bench:layout-fill', filled as string);
    const strip = (lines: string[], ns: string): string => lines.map((l) => l.split(ns).join('<ns>')).join('\n');
    if (strip(expected, 'bench:layout-save') !== strip(actual, 'bench:layout-fill')) {
      throw new Error(`the fast fill no longer writes what repository.save() writes:\nsave:\n${expected.join('\n')}\nfill:\n${actual.join('\n')}`);
    }
    if ((await viaFill.findById(filled as string)) === null) throw new Error('the repository cannot read a session written by the fast fill');
  } finally {
    await Promise.all([viaSave.close(), viaFill.close()]);
    for (const ns of ['bench:layout-save', 'bench:layout-fill']) {
      const stale = await redis.keys(`${ns}:*`);
      if (stale.length > 0) await redis.del(...stale);
    }
  }
}
