/**
 * What the example keeps in a session (express-session's `SessionData`, augmented).
 * @packageDocumentation
 */
declare module 'express-session' {
  interface SessionData {
    /** The logged-in user's name. */
    user?: string;
    /** What the user called this device at login (`laptop`), shown in the list of their sessions. */
    device?: string;
  }
}

export {};
