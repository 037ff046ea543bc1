// The listener's options, checked in its constructor, before anything touches Redis (the
// repository's client is an ioredis client that never connects). No Redis needed.
import { InvalidArgumentError, RedisIndexedSessionRepository } from '@lapse/repository';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionEventListener, type SessionEventListenerOptions } from '../src/index.js';

describe('SessionEventListener options', () => {
  let client: Redis;
  let repository: RedisIndexedSessionRepository;
  const listener = (options: unknown): SessionEventListener => {
    client = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, retryStrategy: () => null });
    repository = new RedisIndexedSessionRepository(client, { cleanupCron: null });
    return new SessionEventListener(repository, options as SessionEventListenerOptions);
  };
  afterEach(async () => {
    await repository.close();
    // Nothing was sent: the client never left its first state.
    expect(client.status).toBe('wait');
    client.disconnect();
  });

  it.each([
    [{ configureKeyspaceNotification: false }, 'configureKeyspaceNotification', "configureKeyspaceNotification: is not an option of SessionEventListener; did you mean 'configureKeyspaceNotifications'?"],
    [{ delivry: 'once' }, 'delivry', "delivry: is not an option of SessionEventListener; did you mean 'delivery'?"],
    [{ leaseMS: 1000 }, 'leaseMS', "leaseMS: is not an option of SessionEventListener; did you mean 'leaseMs'?"],
    [{ probeTimeout: 1000 }, 'probeTimeout', "probeTimeout: is not an option of SessionEventListener; did you mean 'probeTimeoutMs'?"],
    [{ configureKeyspaceNotifications: 'no' }, 'configureKeyspaceNotifications', 'configureKeyspaceNotifications: must be true or false, got "no"'],
    [{ delivery: 'twice' }, 'delivery', "delivery: must be one of 'broadcast', 'once', got \"twice\""],
    [{ name: 7 }, 'name', 'name: must be 1 to 100 letters, digits or . _ : -, got 7'],
    [{ group: 'has space' }, 'group', 'group: must be 1 to 100 letters, digits or . _ : -, got "has space"'],
    [{ leaseMs: 0 }, 'leaseMs', 'leaseMs: must be a positive integer, got 0'],
    [{ probeTimeoutMs: 1.5 }, 'probeTimeoutMs', 'probeTimeoutMs: must be a positive integer, got 1.5'],
    [{ reader: 'redis://localhost' }, 'reader', undefined],
    [null, 'options', 'options: must be an object of options of SessionEventListener, got null'],
  ])('refuses %j with InvalidArgumentError naming %s', (options, argument, message) => {
    let thrown: unknown;
    try {
      listener(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect((thrown as InvalidArgumentError).argument).toBe(argument);
    if (message !== undefined) expect((thrown as InvalidArgumentError).message).toBe(message);
  });

  it('accepts every option with a good value', () => {
    expect(() => listener({ configureKeyspaceNotifications: false, delivery: 'once', name: 'a', group: 'g.1', leaseMs: 5, probeTimeoutMs: 5, subscriber: client, reader: client })).not.toThrow();
  });
});
