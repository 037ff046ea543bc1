/**
 * What the example keeps in a session (@fastify/session's `Session`, augmented).
 * @packageDocumentation
 */
declare module 'fastify' {
  interface Session {
    /** The logged-in user's name. */
    user?: string;
  }
}

export {};
