import { Redis } from 'ioredis';
import { afterEach, expect } from 'vitest';

/** An error class whose instances name the refused argument (lapse's InvalidArgumentError). */
export type ArgumentErrorClass<E extends Error> = abstract new (...args: never[]) => E & { readonly argument: string };

/**
 * The error of class `type` that `act` throws, checked to name `argument`; fails the test when
 * `act` throws nothing or something else. `type` is passed in, so that a package's own tests can
 * check against the class of its sources rather than that of its build.
 */
export function refusal<E extends Error & { readonly argument: string }>(type: ArgumentErrorClass<E>, act: () => unknown, argument: string): E {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    expect((error as E).argument).toBe(argument);
    return error as E;
  }
  throw new Error(`nothing was thrown; expected a ${type.name} naming ${argument}`);
}

/**
 * For suites that check options are refused before a client is used: returns a maker of ioredis
 * clients that never connect (lazyConnect, nothing listening on port 1), and after each test
 * checks that every client made is still in its first state (`wait`: nothing was sent), then
 * disconnects it. Call it in a `describe` (or at the top of a file).
 */
export function useIdleIoredisClients(): () => Redis {
  const clients: Redis[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) {
      // Nothing was sent: the client never left its first state.
      expect(client.status).toBe('wait');
      client.disconnect();
    }
  });
  return () => {
    const client = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, retryStrategy: () => null });
    clients.push(client);
    return client;
  };
}
