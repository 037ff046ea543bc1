import { useRedis } from '@lapse/redis-harness/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { toRedisConnection } from '../../src/internal.js';
import { CLIENT_VARIANTS, closeAll, waitFor } from './clientVariants.js';

// A Redis of its own: this file stops and restarts it.
const redis = useRedis();
afterAll(closeAll);

describe.each(CLIENT_VARIANTS)('$name across a Redis restart', (variant) => {
  it('sends, subscribes (again) and reads blocking after the server restarted', async () => {
    const connection = toRedisConnection(await variant.single(redis.handle.url));
    const subscriber = await connection.openSubscriber();
    const channel = `restart:${variant.name}`;
    const received: string[] = [];
    await subscriber.subscribe([channel], (_, message) => received.push(message));
    let reconnects = 0;
    subscriber.onReconnect(() => reconnects++);
    const blocking = await connection.openBlockingConnection();
    expect(await connection.send('SET', [channel, 'before'])).toBe('OK');

    await redis.handle.restart({ downtimeMs: 300 });

    // The caller's connection (queued until it is back, or sent once it is), then the subscriber.
    await expect(retryUntilAnswered(() => connection.send('PING', []))).resolves.toBe('PONG');
    await waitFor([reconnects], () => reconnects >= 1, 'the subscriber to subscribe again', 15_000);
    expect(await connection.send('PUBLISH', [channel, 'after'])).toBe(1);
    expect(await connection.send('PUBLISH', [channel, 'sentinel'])).toBe(1);
    await waitFor(received, (r) => r.includes('sentinel'), 'the sentinel');
    expect(received).toEqual(['after', 'sentinel']);
    expect(reconnects).toBe(1);
    // The blocking connection reads again too.
    const stream = `${channel}:stream`;
    await connection.send('XADD', [stream, '*', 'n', '1']);
    const read = await retryUntilAnswered(() => blocking.send('XREAD', ['COUNT', 1, 'STREAMS', stream, '0']));
    expect(JSON.stringify(read)).toContain('"n","1"');
    await blocking.close();
    await subscriber.close();
  }, 40_000);
});

/**
 * `send()` until it answers: a command sent while a client is still reconnecting may fail (ioredis
 * after its retries per request); bounded at 10 s.
 */
async function retryUntilAnswered<T>(send: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await send();
    } catch (error) {
      if (Date.now() - started > 10_000) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
