/**
 * What the example keeps in a session (@fastify/session's `Session`, augmented).
 * @packageDocumentation
 */
declare module 'fastify' {
  interface Session {
    /** The logged-in user's name. */
    user?: string;
    /** What the user called this device at login (`laptop`), shown in the list of their sessions. */
    device?: string;
  }
}

export {};
