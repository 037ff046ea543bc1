import { openRedisClient } from '@lapse/repository/clients';
import type { Redis } from 'ioredis';
import type { createClient as createClient5 } from 'redis';
import * as redis6 from 'redis6';

/**
 * The Redis clients the bench runs lapse on: ioredis 6, node-redis 5.9 (RESP2, its default),
 * node-redis 5.9 speaking RESP3, and node-redis 6.3.1 (RESP3, its default). A row of the bench
 * differs from another of the same peer only by the client this factory opens.
 */
export type ClientKind = 'ioredis' | 'node-redis' | 'node-redis-resp3' | 'node-redis-6';

export const CLIENT_KINDS: readonly ClientKind[] = ['ioredis', 'node-redis', 'node-redis-6', 'node-redis-resp3'];

export const CLIENT_LABELS: Readonly<Record<ClientKind, string>> = {
  ioredis: 'ioredis 6',
  'node-redis': 'node-redis 5.9',
  'node-redis-resp3': 'node-redis 5.9 RESP3',
  'node-redis-6': 'node-redis 6.3',
};

export type NodeRedis5 = ReturnType<typeof createClient5>;
export type NodeRedis6 = ReturnType<typeof redis6.createClient>;

/** An open client of one kind. */
export type BenchClient =
  | { readonly kind: 'ioredis'; readonly client: Redis; close(): Promise<void> }
  | { readonly kind: 'node-redis' | 'node-redis-resp3'; readonly client: NodeRedis5; close(): Promise<void> }
  | { readonly kind: 'node-redis-6'; readonly client: NodeRedis6; close(): Promise<void> };

export interface OpenOptions {
  /** ioredis only: `enableAutoPipelining` (an informative variant). */
  readonly autoPipelining?: boolean;
}

/** Opens and connects a client of `kind` to `url` (lapse's shared client factory), with default options otherwise. */
export async function openClient(kind: ClientKind, url: string, options: OpenOptions = {}): Promise<BenchClient> {
  switch (kind) {
    case 'ioredis': {
      const opened = await openRedisClient({ library: 'ioredis', url, autoPipelining: options.autoPipelining === true });
      return { kind, client: opened.client as unknown as Redis, close: async () => opened.destroy() };
    }
    case 'node-redis':
    case 'node-redis-resp3': {
      const opened = await openRedisClient({ library: 'node-redis', url, ...(kind === 'node-redis-resp3' ? { resp: 3 as const } : {}) });
      return { kind, client: opened.client as unknown as NodeRedis5, close: async () => opened.destroy() };
    }
    case 'node-redis-6': {
      const opened = await openRedisClient({ library: 'node-redis', url, nodeRedis: redis6 });
      return { kind, client: opened.client as unknown as NodeRedis6, close: async () => opened.destroy() };
    }
  }
}

/** The two commands a store-shaped floor needs, on any client: HGETALL and a script by SHA. */
export interface RawCommands {
  hgetall(key: string): Promise<Record<string, string>>;
  /** EVALSHA, then EVAL once on NOSCRIPT. */
  script(sha: string, source: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
}

const isNoScript = (error: unknown): boolean => error instanceof Error && error.message.startsWith('NOSCRIPT');

export function rawCommands(open: BenchClient): RawCommands {
  if (open.kind === 'ioredis') {
    const r = open.client;
    return {
      hgetall: (key) => r.hgetall(key),
      script: async (sha, source, keys, args) => {
        try {
          return await r.evalsha(sha, keys.length, ...keys, ...args);
        } catch (error) {
          if (!isNoScript(error)) throw error;
          return r.eval(source, keys.length, ...keys, ...args);
        }
      },
    };
  }
  // node-redis 5 and 6 share this API (HGETALL resolves an object with RESP2 and RESP3 alike).
  const c = open.client as NodeRedis5;
  return {
    hgetall: async (key) => (await c.hGetAll(key)) as Record<string, string>,
    script: async (sha, source, keys, args) => {
      const options = { keys: [...keys], arguments: [...args] };
      try {
        return await c.evalSha(sha, options);
      } catch (error) {
        if (!isNoScript(error)) throw error;
        return c.eval(source, options);
      }
    },
  };
}
