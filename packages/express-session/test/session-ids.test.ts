// Session ids in a real express app on LapseStore({ client }): every id express-session can
// produce works; one that would break the key layout fails the request (next(err), a 500)
// before anything is written, instead of a login that silently never sticks.
import { InvalidArgumentError } from '@lapse/repository';
import type { SessionData } from 'express-session';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LapseStore } from '../src/index.js';
import { startSessionApp, type RunningApp } from '@lapse/redis-harness/express';
import { CookieClient } from './support/CookieClient.js';
import { serializerOptions, uniqueNamespace, useRedis } from './support/redis.js';

const redis = useRedis();
let client: Redis;
let store: LapseStore;
let namespace: string;
let app: RunningApp | undefined;

beforeEach(() => {
  client = redis.client();
  namespace = uniqueNamespace('ids');
  store = new LapseStore({ client, prefix: `${namespace}:`, repositoryOptions: { ...serializerOptions(), cleanupCron: null } });
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await store.close();
  client.disconnect();
});

const keysOfNamespace = (): Promise<string[]> => client.keys(`${namespace}:*`);

async function logIn(genid?: () => string): Promise<{ status: number; sid?: string; me?: number }> {
  app = await startSessionApp({ store, ...(genid === undefined ? {} : { genid }) });
  const browser = new CookieClient(app.url);
  const login = await browser.request('POST', '/login', { user: 'ada' });
  if (login.status !== 200) return { status: login.status };
  const me = await browser.request('GET', '/me');
  return { status: login.status, sid: (login.body as { sid: string }).sid, me: me.status };
}

describe('ids express-session can produce', () => {
  const kinds: [string, (() => string) | undefined][] = [
    ["express-session's default (uid-safe, 32 characters)", undefined],
    ['a UUID', () => randomUUID()],
    ['a custom genid with a prefix', () => `app-${randomUUID()}`],
    ['a custom genid with dots, slashes and spaces', () => `tenant.7/user ${randomUUID()}`],
    ['256 characters', () => 'x'.repeat(200) + randomUUID().slice(0, 56)],
  ];
  it.each(kinds)('%s: the login sticks', async (_name, genid) => {
    const { status, sid, me } = await logIn(genid);
    expect(status).toBe(200);
    expect(me).toBe(200);
    expect(await client.exists(`${namespace}:sessions:${sid}`, `${namespace}:sessions:expires:${sid}`)).toBe(2);
  });
});

describe('ids that would break the key layout', () => {
  const bad: [string, () => string][] = [
    ['a ":"', () => `app:${randomUUID()}`],
    ['a control character', () => `app\n${randomUUID()}`],
    ['over 256 characters', () => 'x'.repeat(257)],
    ['an empty id', () => ''],
  ];
  it.each(bad)('%s: the request fails with a 500 and nothing is written', async (_name, genid) => {
    const { status } = await logIn(genid);
    expect(status).toBe(500);
    expect(await keysOfNamespace()).toEqual([]);
  });

  it('are refused by set with InvalidArgumentError, through the promise and the callback, before any write', async () => {
    const data = { cookie: { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000).toISOString() } } as unknown as SessionData;
    for (const sid of ['a:b', 'nul\u0000', 'x'.repeat(257), '']) {
      await expect(store.set(sid, data)).rejects.toBeInstanceOf(InvalidArgumentError);
      const error = await new Promise((resolve) => void store.set(sid, data, resolve));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(await store.get(sid)).toBeNull();
    }
    expect(await keysOfNamespace()).toEqual([]);
  });
});
