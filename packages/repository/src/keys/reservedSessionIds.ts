import { SessionKeys } from './SessionKeys.js';

/** A namespace no real one equals, to read the key layout's shape off {@link SessionKeys}. */
const PROBE = '\u0000';

/** The layout's keys after `<ns>:`, derived from {@link SessionKeys} (never listed by hand). */
interface LayoutTails {
  /** Whole keys: `sessions:expirations`, `expiration-minutes`, `session-events`. */
  readonly fixed: readonly string[];
  /** Key families (a key is one of these followed by more): `sessions:`, `sessions:expires:`, `expirations:`, `index:<name>:`. */
  readonly prefixes: readonly string[];
  /** What a session's own key is followed by in another key of it: `:idx`. */
  readonly suffixes: readonly string[];
  /** The reserved ids without a `:` (the only ones an id without one can be): `expirations`, `expiration-minutes`, `session-events`. */
  readonly bare: ReadonlySet<string> | null;
}

function layoutTails(): LayoutTails {
  const keys = new SessionKeys(PROBE);
  const head = `${PROBE}:`;
  const tail = (key: string): string => key.slice(head.length);
  const id = '\u0001';
  const sessionKey = keys.sessionKey(id);
  const ownKeys = [keys.shadowKey(id), keys.indexReferenceKey(id), keys.bucketKey(0), keys.principalIndexKey(id)];
  const prefixes = [keys.sessionKeyPrefix, keys.shadowKeyPrefix, keys.bucketKeyPrefix, keys.principalIndexKey('')].map(tail);
  // A key of one session built around its key (`<session key>:idx`).
  const suffixes = ownKeys.filter((key) => key.startsWith(sessionKey) && key.length > sessionKey.length).map((key) => key.slice(sessionKey.length));
  const fixed = [keys.expirationSortedSetKey, keys.bucketRegistryKey, keys.eventStreamKey].map(tail);
  const sessionsTail = prefixes[0] as string;
  const bare = new Set<string>();
  for (const name of fixed) {
    if (!name.includes(':')) bare.add(name);
    if (name.startsWith(sessionsTail) && !name.slice(sessionsTail.length).includes(':')) bare.add(name.slice(sessionsTail.length));
  }
  // Only when every family and suffix has a `:` can an id without one be only a bare name (else: no shortcut).
  const shortcut = [...prefixes, ...suffixes].every((part) => part.includes(':'));
  return { fixed, prefixes, suffixes, bare: shortcut ? bare : null };
}

let tails: LayoutTails | undefined;

/**
 * Why a session id would make its hash key (`<ns>:sessions:<id>`) another key of lapse's layout
 * (in this namespace or in another one, `<ns>:sessions` being a namespace too), or `null` when
 * it would not. `expirations` names the sorted-set expiration index, `expiration-minutes` the
 * bucket registry of namespace `<ns>:sessions`, `session-events` its event stream, `expires:x`
 * the shadow key of session `x`, `x:idx` the index set of session `x`, and so on: the list is
 * read off {@link SessionKeys}, so a key added to the layout is reserved with it.
 */
export function reservedSessionIdReason(id: string): string | null {
  const { fixed, prefixes, suffixes, bare } = (tails ??= layoutTails());
  // Every prefix and suffix has a `:`: an id without one (the common case, checked per request) can only be a bare name.
  if (bare !== null && !id.includes(':')) return bare.has(id) ? `would name the layout's key "<namespace>:${fixed.find((name) => name.endsWith(id)) ?? id}"` : null;
  for (const suffix of suffixes) if (id.endsWith(suffix)) return `ends with "${suffix}", which would name another session's key`;
  // `sessions:<id>` and every part of it after a `:`: each is what follows `<ns'>:` for some namespace ns'.
  const key = `${prefixes[0] as string}${id}`;
  for (let at = 0; at >= 0; at = key.indexOf(':', at) + 1 || -1) {
    const rest = key.slice(at);
    for (const name of fixed) if (rest === name) return `would name the layout's key "<namespace>:${name}"`;
    for (const prefix of prefixes) {
      // At the start, `sessions:<id>` is the session's own key.
      if (at === 0 && prefix === prefixes[0]) continue;
      if (rest.startsWith(prefix)) return `would name a key of the layout's "<namespace>:${prefix}…" family`;
    }
  }
  return null;
}
