import { randomBytes } from 'node:crypto';

/**
 * Makes and recognises session ids. An id becomes part of Redis keys and of the text the
 * keyspace listener parses, so `isValid` must reject anything the generator could not have
 * produced; lapse never sends an invalid id to Redis and treats it as "not found".
 */
export interface SessionIdGenerator {
  /** A new, unguessable id. */
  generate(): string;
  /** Whether `id` could have come from this generator (or from a peer you share sessions with). */
  isValid(id: string): boolean;
}

/** 24 random bytes (192 bits) from `crypto.randomBytes`, as 32 base64url characters. */
const LAPSE_ID = /^[A-Za-z0-9_-]{32}$/;
/** Spring Session's `UuidSessionIdGenerator` (random UUID), accepted so Java-created sessions can be read. */
const SPRING_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The default generator: 192 bits from `crypto.randomBytes` as base64url (32 characters).
 * It accepts its own ids and Spring Session's UUID ids, nothing else: no `:`, no spaces, no
 * `expires:` prefix, nothing longer than 36 characters.
 */
export const defaultSessionIdGenerator: SessionIdGenerator = Object.freeze({
  generate: (): string => randomBytes(24).toString('base64url'),
  isValid: (id: string): boolean => typeof id === 'string' && (LAPSE_ID.test(id) || SPRING_UUID.test(id)),
});
