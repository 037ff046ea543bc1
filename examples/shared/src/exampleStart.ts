import type { SessionEventListener } from '@lapse/events';
import { LapseStore, type PrincipalOf } from '@lapse/express-session';
import type { RedisIndexedSessionRepository } from '@lapse/repository';

/** The options both examples start with (`startExampleServer`, `startFastifyExample`). */
export interface ExampleStartOptions {
  /** Where sessions are kept; stays the caller's to close. */
  repository: RedisIndexedSessionRepository;
  /** A started listener on the same repository (its `watch()` closes a socket when its session ends); stays the caller's to close. */
  listener: SessionEventListener;
  /** Port to listen on (`0`: any free port). @defaultValue `0` */
  port?: number;
  /** Host to listen on. @defaultValue `'127.0.0.1'` */
  host?: string;
  /** Secret signing the session cookie (the fastify example's: at least 32 characters). @defaultValue a fixed demo secret (set your own) */
  secret?: string;
  /** Session cookie maxAge in ms, also the inactivity timeout. @defaultValue `1_800_000` (30 minutes) */
  cookieMaxAgeMs?: number;
}

/** What an example starts from: its store, and its options with their defaults. */
export interface ExampleStart {
  /** A LapseStore on the options' repository, filing sessions under the example's principal. */
  readonly store: LapseStore;
  readonly secret: string;
  readonly cookieMaxAgeMs: number;
  readonly port: number;
  readonly host: string;
}

/** The store and settings of an example started with `options`, its principal and its demo secret. */
export function exampleStart(options: ExampleStartOptions, principal: PrincipalOf, demoSecret: string): ExampleStart {
  return {
    store: new LapseStore({ repository: options.repository, principal }),
    secret: options.secret ?? demoSecret,
    cookieMaxAgeMs: options.cookieMaxAgeMs ?? 1_800_000,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
  };
}
