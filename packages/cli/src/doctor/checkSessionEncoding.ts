import { type RedisIndexedSessionRepository } from '@lapse/repository';
import { isCommandForbidden as isForbidden } from '@lapse/repository/internal';
import { redisCli } from './checkKeyspaceEvents.js';
import { finding, type Finding } from './Finding.js';
import { compareVersions } from './redisVersion.js';

/** Most session hashes looked at. */
const SAMPLE_SIZE = 100;
/** Redis's defaults for `hash-max-listpack-value` and `hash-max-listpack-entries`. */
const DEFAULT_MAX_VALUE = 64;
const DEFAULT_MAX_ENTRIES = 128;
/** Past this, raising the limit is no advice: such values belong outside the session. */
const LARGEST_SUGGESTED_VALUE = 8192;

/** The longest field name or value of a hash: what decides `hash-max-listpack-value`. */
interface LongestItem {
  /** The field's name (`sessionAttr:cookie`). */
  readonly field: string;
  /** Whether the field's name itself is the long one (Redis limits names and values alike), or its value. */
  readonly part: 'name' | 'value';
  /** Its length in bytes. */
  readonly bytes: number;
}

/** How one sampled session hash is stored. */
interface SampledHash {
  readonly compact: boolean;
  /** For a hashtable: its longest field name or value (`null` for a compact or empty hash). */
  readonly longest: LongestItem | null;
  readonly fields: number;
}

/**
 * How Redis stores a sample of the namespace's session hashes. A hash stays in the compact
 * listpack encoding (ziplist before Redis 7) only while it has at most
 * `hash-max-listpack-entries` fields and every field name and value is at most
 * `hash-max-listpack-value` bytes (64 by default); one longer attribute (or attribute name), such as express-session's cookie (about 110
 * bytes of JSON), makes the whole hash a hashtable, about twice the memory (measured in the
 * README's "Redis requirements"). Says which setting would keep them compact. Single Redis
 * only (nothing on a Cluster); says nothing when the user may not run SCAN or OBJECT.
 */
export async function checkSessionEncoding(
  repository: RedisIndexedSessionRepository,
  where: { host: string; port: number },
  version: string | null,
): Promise<Finding[]> {
  let sampled: SampledHash[];
  try {
    sampled = await sample(repository);
  } catch (error) {
    if (isForbidden(error)) return [];
    throw error;
  }
  if (sampled.length === 0) return [];
  const setting = version !== null && compareVersions(version, '7.0.0') < 0 ? 'ziplist' : 'listpack';
  const loose = sampled.filter((hash) => !hash.compact);
  if (loose.length === 0) {
    return [finding('ok', 'memory', `${count(sampled.length, 'sampled session')} stored compactly (${setting})`)];
  }

  const limits = await configuredLimits(repository);
  let longest: LongestItem | null = null;
  for (const hash of loose) if (hash.longest !== null && (longest === null || hash.longest.bytes > longest.bytes)) longest = hash.longest;
  const most = Math.max(...loose.map((hash) => hash.fields));
  const causes: string[] = [];
  const fixes: string[] = [];
  let tooLarge: LongestItem | null = null;
  if (longest !== null && longest.bytes > limits.value) {
    causes.push(`${describe(longest)} is over hash-max-${setting}-value ${limits.value}${limits.readable ? '' : ' (the default: CONFIG GET is not allowed)'}`);
    if (longest.bytes <= LARGEST_SUGGESTED_VALUE) fixes.push(`hash-max-${setting}-value ${nextPowerOfTwo(longest.bytes)}`);
    else tooLarge = longest;
  }
  if (most > limits.entries) {
    causes.push(`${most} fields are over hash-max-${setting}-entries ${limits.entries}${limits.readable ? '' : ' (the default)'}`);
    fixes.push(`hash-max-${setting}-entries ${nextPowerOfTwo(most)}`);
  }
  const message =
    `${loose.length} of ${count(sampled.length, 'sampled session')} stored as hashtables, about twice the memory of the compact encoding` +
    (causes.length > 0 ? `: ${causes.join('; ')}` : '');
  const advice: string[] = [];
  if (fixes.length > 0 && limits.readable) {
    advice.push(`${fixes.map((setting) => `${redisCli(where.host, where.port)} CONFIG SET ${setting}`).join(' && ')} (and the same in redis.conf); sessions saved afterwards are stored compactly`);
  } else if (fixes.length > 0) {
    advice.push(`set ${fixes.join(' and ')} in redis.conf or the provider's console (CONFIG is not allowed here); sessions saved afterwards are stored compactly`);
  }
  if (tooLarge !== null) advice.push(`keep the value of ${shown(tooLarge.field)} out of the session (store a reference to it instead)`);
  const fix = advice.length > 0 ? advice.join('; ') : 'keep large values out of the session (store a reference to them instead)';
  return [finding('warn', 'memory', message, fix)];
}

/** A field name as it appears in a finding: whole up to 120 characters, else its start. */
function shown(field: string): string {
  return field.length > 120 ? `${field.slice(0, 119)}…` : field;
}

/** `the field name "sessionAttr:…" (98 bytes)` or `the value of sessionAttr:cookie (202 bytes)`. */
function describe(item: LongestItem): string {
  return item.part === 'name' ? `the field name ${shown(item.field)} (${item.bytes} bytes)` : `the value of ${shown(item.field)} (${item.bytes} bytes)`;
}

/** Up to {@link SAMPLE_SIZE} session hashes, the first that the repository's SCAN finds. */
async function sample(repository: RedisIndexedSessionRepository): Promise<SampledHash[]> {
  const ids: string[] = [];
  for await (const id of repository.scanSessionIds()) {
    ids.push(id);
    if (ids.length >= SAMPLE_SIZE) break;
  }
  const hashes: SampledHash[] = [];
  for (const id of ids) {
    const key = repository.keys.sessionKey(id);
    const encoding = (await repository.connection.send('OBJECT', ['ENCODING', key], key)) as string | null;
    if (encoding === null) continue; // gone meanwhile
    if (encoding === 'listpack' || encoding === 'ziplist') {
      hashes.push({ compact: true, longest: null, fields: 0 });
      continue;
    }
    const flat = (await repository.connection.send('HGETALL', [key], key)) as string[];
    const entries: [string, string][] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) entries.push([flat[i] ?? '', flat[i + 1] ?? '']);
    let longest: LongestItem | null = null;
    for (const [field, value] of entries) {
      for (const [part, bytes] of [['name', Buffer.byteLength(field)], ['value', Buffer.byteLength(value)]] as const) {
        if (longest === null || bytes > longest.bytes) longest = { field, part, bytes };
      }
    }
    hashes.push({ compact: false, longest, fields: entries.length });
  }
  return hashes;
}

/** The server's limits (`hash-max-ziplist-*` is an alias of `hash-max-listpack-*` in Redis 7), or the defaults when CONFIG is not allowed. */
async function configuredLimits(repository: RedisIndexedSessionRepository): Promise<{ value: number; entries: number; readable: boolean }> {
  try {
    const config = async (name: string): Promise<string | undefined> => ((await repository.connection.send('CONFIG', ['GET', name])) as string[])[1];
    const value = await config('hash-max-ziplist-value');
    const entries = await config('hash-max-ziplist-entries');
    return { value: Number(value ?? DEFAULT_MAX_VALUE), entries: Number(entries ?? DEFAULT_MAX_ENTRIES), readable: true };
  } catch (error) {
    if (isForbidden(error)) return { value: DEFAULT_MAX_VALUE, entries: DEFAULT_MAX_ENTRIES, readable: false };
    throw error;
  }
}

function nextPowerOfTwo(n: number): number {
  let power = 128;
  while (power < n) power *= 2;
  return power;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? ' is' : 's are'}`;
}
