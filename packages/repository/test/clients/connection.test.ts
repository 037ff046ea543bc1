import { createHash } from 'node:crypto';
import { useRedis } from '@lapse/redis-harness/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { toRedisConnection, type RedisConnection, type ScriptSource } from '../../src/internal.js';
import { CLIENT_VARIANTS, closeAll, waitFor } from './clientVariants.js';

const redis = useRedis();
afterAll(closeAll);

function script(source: string): ScriptSource {
  return { sha: createHash('sha1').update(source).digest('hex'), source };
}

describe.each(CLIENT_VARIANTS)('$name', (variant) => {
  const open = async (db = 0): Promise<RedisConnection> => toRedisConnection(await variant.single(redis.handle.url, db));
  const key = (name: string): string => `clients:${variant.name}:${name}`;

  it('detects the library and the database asked for', async () => {
    const connection = await open(3);
    expect(connection.library).toBe(variant.library);
    expect(connection.clustered).toBe(false);
    expect(connection.requestedDatabase).toBe(3);
    expect(await connection.currentDatabase()).toBe(3);
  });

  it('sends commands and answers in RESP2 shape', async () => {
    const connection = await open();
    expect(await connection.send('SET', [key('s'), 'grüße ✓'])).toBe('OK');
    expect(await connection.send('GET', [key('s')])).toBe('grüße ✓');
    expect(await connection.send('GET', [key('missing')])).toBeNull();
    expect(await connection.send('EXISTS', [key('s'), key('missing')])).toBe(1);
    expect(await connection.send('INCRBY', [key('n'), 41])).toBe(41);
    await connection.send('ZADD', [key('z'), 1.5, 'a']);
    // A RESP3 double comes back as RESP2's text.
    expect(await connection.send('ZSCORE', [key('z'), 'a'])).toBe('1.5');
    await expect(connection.send('HGET', [key('s'), 'f'])).rejects.toThrow(/^WRONGTYPE/);
  });

  it('answers HGETALL as a flat field/value array of strings, whatever the protocol', async () => {
    const connection = await open();
    await connection.send('HSET', [key('h'), 'creationTime', 1700000000000, 'sessionAttr:name', '"Zoë"']);
    const reply = await connection.send('HGETALL', [key('h')]);
    expect(Array.isArray(reply)).toBe(true);
    const pairs = new Map<string, string>();
    const flat = reply as string[];
    for (let i = 0; i < flat.length; i += 2) pairs.set(flat[i] as string, flat[i + 1] as string);
    expect(Object.fromEntries(pairs)).toEqual({ creationTime: '1700000000000', 'sessionAttr:name': '"Zoë"' });
    expect(await connection.send('HGETALL', [key('none')])).toEqual([]);
    // CONFIG GET is a map in RESP3.
    expect(await connection.send('CONFIG', ['GET', 'maxmemory-policy'])).toEqual(['maxmemory-policy', expect.any(String)]);
  });

  it('runs a script by SHA, falling back to its source after NOSCRIPT', async () => {
    const connection = await open();
    const lua = script(`-- ${variant.name}\nreturn { KEYS[1], tonumber(ARGV[1]) + 1, false, { ARGV[2] } }`);
    await connection.send('SCRIPT', ['FLUSH']);
    expect(await connection.runScript(lua, [key('k')], [1, 'ünï'])).toEqual([key('k'), 2, null, ['ünï']]);
    expect(await connection.send('SCRIPT', ['EXISTS', lua.sha])).toEqual([1]);
    // By SHA now.
    expect(await connection.runScript(lua, [key('k')], [5, 'x'])).toEqual([key('k'), 6, null, ['x']]);
    await expect(connection.runScript(script('return redis.error_reply("LAPSE boom")'), [], [])).rejects.toThrow(/LAPSE boom/);
  });

  it('lists the single server as its one master', async () => {
    const connection = await open();
    const masters = await connection.masters();
    expect(masters.map((m) => m.address)).toHaveLength(1);
    expect(masters[0]?.address).toMatch(/:\d+$/);
    expect(await masters[0]?.send('PING', [])).toBe('PONG');
    const stop = connection.onTopologyChange(() => undefined);
    stop();
  });

  it('subscribes on a connection of its own, and again after CLIENT KILL, without duplicates', async () => {
    const connection = await open();
    const subscriber = await connection.openSubscriber();
    const received: string[] = [];
    const channel = key('channel');
    await subscriber.subscribe([channel], (ch, message) => received.push(`${ch}=${message}`));
    await subscriber.psubscribe([`${key('pattern')}:*`], (ch, message) => received.push(`${ch}~${message}`));
    let reconnects = 0;
    subscriber.onReconnect(() => reconnects++);

    await connection.send('PUBLISH', [channel, 'one']);
    await connection.send('PUBLISH', [`${key('pattern')}:x`, 'two']);
    await waitFor(received, (r) => r.length === 2, 'two messages');
    expect(received).toEqual([`${channel}=one`, `${key('pattern')}:x~two`]);

    const killed = await connection.send('CLIENT', ['KILL', 'TYPE', 'pubsub']);
    expect(killed).toBeGreaterThanOrEqual(1);
    await waitFor([reconnects], () => reconnects >= 1, 'the subscriber to reconnect', 10_000);
    await connection.send('PUBLISH', [channel, 'three']);
    await connection.send('PUBLISH', [`${key('pattern')}:y`, 'four']);
    await connection.send('PUBLISH', [channel, 'sentinel']);
    await waitFor(received, (r) => r.includes(`${channel}=sentinel`), 'the sentinel');
    expect(received).toEqual([`${channel}=one`, `${key('pattern')}:x~two`, `${channel}=three`, `${key('pattern')}:y~four`, `${channel}=sentinel`]);
    expect(reconnects).toBe(1);
    await subscriber.close();
    await subscriber.close();
  });

  it('opens a blocking connection that leaves the caller free', async () => {
    const connection = await open();
    const blocking = await connection.openBlockingConnection();
    const stream = key('stream');
    const read = blocking.send('XREAD', ['BLOCK', 10_000, 'STREAMS', stream, '$']);
    // The caller's connection is not held by the blocked read.
    expect(await connection.send('PING', [])).toBe('PONG');
    await eventuallyBlocked(connection);
    const id = (await connection.send('XADD', [stream, '*', 'type', 'deleted', 'id', 'ü'])) as string;
    expect(await read).toEqual([[stream, [[id, ['type', 'deleted', 'id', 'ü']]]]]);

    const pending = blocking.send('BLPOP', [key('list'), 10]);
    await eventuallyBlocked(connection);
    await blocking.close();
    await expect(pending).rejects.toThrow();
    await blocking.close();
  });

  it('reads the database Redis really has the connection on', async () => {
    const connection = await open(5);
    expect(await connection.currentDatabase()).toBe(5);
    await connection.send('SELECT', [6]);
    expect(await connection.currentDatabase()).toBe(6);
    await connection.send('SELECT', [5]);
  });
});

/** Waits until Redis lists a client blocked in a command. */
async function eventuallyBlocked(connection: RedisConnection): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const info = (await connection.send('INFO', ['clients'])) as string;
    if (/blocked_clients:[1-9]/.test(info)) return;
    if (Date.now() > deadline) throw new Error(`no blocked client: ${info}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
