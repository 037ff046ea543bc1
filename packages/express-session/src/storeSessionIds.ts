import { InvalidArgumentError, type SessionIdGenerator } from '@lapse/repository';
import { defaultSessionIdGenerator } from '@lapse/repository/internal';

/** The longest session id the store accepts (express-session's own are 32 characters, UUIDs 36). */
export const MAX_SESSION_ID_LENGTH = 256;

/** Characters that would break the key layout or the text lapse parses: `:` and control characters (C0, DEL, C1). */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[:\u0000-\u001f\u007f-\u009f]/;

/**
 * Why `id` cannot be a session id in the store's key layout, or `null` when it can: any id
 * express-session can produce works (its default 32-character ids, UUIDs, a custom `genid`'s ids
 * with key-safe characters); refused are empty ids, ids over {@link MAX_SESSION_ID_LENGTH}
 * characters, and ids with a `:` (the layout's separator: `<ns>:sessions:expires:<id>` must not
 * be another session's key) or a control character.
 */
export function unsafeSessionIdReason(id: unknown): string | null {
  if (typeof id !== 'string') return `must be a string, got ${typeof id}`;
  if (id.length === 0) return 'must not be empty';
  if (id.length > MAX_SESSION_ID_LENGTH) return `must be at most ${MAX_SESSION_ID_LENGTH} characters, got ${id.length}`;
  if (UNSAFE.test(id)) return 'must not contain ":" or control characters (they would break the Redis key layout)';
  return null;
}

/** Throws {@link InvalidArgumentError} (argument `sid`) for an id the store cannot use. */
export function checkSessionId(id: unknown): asserts id is string {
  const reason = unsafeSessionIdReason(id);
  if (reason !== null) throw new InvalidArgumentError('sid', `${JSON.stringify(String(id).slice(0, 80))} ${reason} (check express-session's genid)`);
}

/**
 * The session id generator of a repository built for the store: generates lapse's ids (192
 * random bits) and accepts every id {@link unsafeSessionIdReason} accepts.
 */
export const storeSessionIdGenerator: SessionIdGenerator = Object.freeze({
  generate: (): string => defaultSessionIdGenerator.generate(),
  isValid: (id: string): boolean => unsafeSessionIdReason(id) === null,
});
