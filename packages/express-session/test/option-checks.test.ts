// LapseStore's and SessionKeepAlive's options, refused before anything touches Redis: the client
// is an ioredis client that never connects (lazyConnect, nothing listening). No Redis needed.
import { InvalidArgumentError, MapSessionRepository } from '@lapse/repository';
import { refusal as expectRefusal, useIdleIoredisClients } from '@lapse/redis-harness/vitest';
import { describe, expect, it } from 'vitest';
import { LapseStore, SessionKeepAlive, type LapseStoreOptions, type SessionKeepAliveOptions } from '../src/index.js';

/** The InvalidArgumentError `act` throws, checked to name `argument`. */
const refusal = (act: () => unknown, argument: string): InvalidArgumentError => expectRefusal(InvalidArgumentError, act, argument);

describe('LapseStore options', () => {
  const idleClient = useIdleIoredisClients();

  it.each([
    [{ disableTtl: true }, 'disableTtl', "disableTtl: is not an option of LapseStore; did you mean 'disableTTL'?"],
    [{ keyPrefix: 'app:' }, 'keyPrefix', "keyPrefix: is not an option of LapseStore; did you mean 'prefix'?"],
    [{ scancount: 10 }, 'scancount', "scancount: is not an option of LapseStore; did you mean 'scanCount'?"],
    [{ ttl: 'long' }, 'ttl', 'ttl: must be a number of seconds or a function, got "long"'],
    [{ ttl: Number.POSITIVE_INFINITY }, 'ttl', 'ttl: must be a number of seconds or a function, got Infinity'],
    [{ scanCount: 1.5 }, 'scanCount', 'scanCount: must be a positive integer, got 1.5'],
    [{ prefix: 7 }, 'prefix', 'prefix: must be a string, got 7'],
    [{ disableTouch: 1 }, 'disableTouch', 'disableTouch: must be true or false, got 1'],
    [{ serializer: { parse: JSON.parse } }, 'serializer', 'serializer: must be an object with parse(text) and stringify(session) functions, got an object'],
    [{ repositoryOptions: { cleanupcron: null } }, 'repositoryOptions.cleanupcron', "repositoryOptions.cleanupcron: is not an option of RedisIndexedSessionRepository; did you mean 'cleanupCron'?"],
    [{ repositoryOptions: { commandTimeoutMs: 0 } }, 'repositoryOptions.commandTimeoutMs', 'repositoryOptions.commandTimeoutMs: must be a positive integer, got 0'],
    [{ repositoryOptions: 'fast' }, 'repositoryOptions', 'repositoryOptions: must be an object of options of RedisIndexedSessionRepository, got "fast"'],
  ])('refuses %j with InvalidArgumentError naming %s, before using the client', (options, argument, message) => {
    const error = refusal(() => new LapseStore({ client: idleClient(), ...options } as unknown as LapseStoreOptions), argument);
    expect(error.message).toBe(message);
  });

  it('keeps connect-redis\'s rule that a falsy ttl, scanCount or serializer means the default', async () => {
    const store = new LapseStore({ client: idleClient(), ttl: 0, scanCount: 0, serializer: null as never, repositoryOptions: { cleanupCron: null } });
    expect(store.ttl).toBe(86_400);
    expect(store.scanCount).toBe(100);
    expect(store.serializer).toBe(JSON);
    await store.close();
  });
});

describe('SessionKeepAlive options', () => {
  const repository = new MapSessionRepository({ cleanupCron: null });
  const SID = 'k'.repeat(32);

  it.each([
    [{ repository, sessionId: SID, interval: 1000 }, 'interval', "interval: is not an option of SessionKeepAlive; did you mean 'intervalMs'?"],
    [{ repository, sessionId: SID, onerror: () => undefined }, 'onerror', "onerror: is not an option of SessionKeepAlive; did you mean 'onError'?"],
    [{ repository, sessionId: SID, intervalMs: '1000' }, 'intervalMs', 'intervalMs: must be a finite number of at least 0, got "1000"'],
    [{ repository, sessionId: SID, intervalMs: -1 }, 'intervalMs', 'intervalMs: must be a finite number of at least 0, got -1'],
    [{ repository, sessionId: SID, clock: 5 }, 'clock', 'clock: must be a function, got 5'],
    [{ repository, sessionId: '' }, 'sessionId', 'sessionId: must be a non-empty string, got ""'],
    [{ repository }, 'sessionId', 'sessionId: must be a non-empty string, got undefined'],
    [{ sessionId: SID }, 'repository', 'repository: must be a lapse session repository, got undefined'],
    [{ repository: {}, sessionId: SID }, 'repository', 'repository: must be a lapse session repository, got an object'],
    [undefined, 'options', 'options: must be an object of options of SessionKeepAlive, got undefined'],
  ])('refuses %j with InvalidArgumentError naming %s', (options, argument, message) => {
    expect(refusal(() => new SessionKeepAlive(options as unknown as SessionKeepAliveOptions), argument).message).toBe(message);
  });
});
