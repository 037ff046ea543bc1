// The client a child process hands to lapse: the library named by LAPSE_CLIENT (ioredis,
// node-redis or node-redis-6), as the test process's own repositories use (clientUnderTest).
export async function childClient(url) {
  const kind = process.env.LAPSE_CLIENT || 'ioredis';
  if (kind === 'ioredis') {
    const { Redis } = await import('ioredis');
    return new Redis(url);
  }
  const { createClient } = await import(kind === 'node-redis-6' ? 'redis6' : 'redis');
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

// The repository options a child process adds for the serializer named by LAPSE_SERIALIZER
// (json, the default: none; v8: V8's structured clone as base64), as the test process's own
// repositories use (serializerOptions in @lapse/redis-harness/vitest, which loads vitest).
export async function childSerializerOptions() {
  const kind = process.env.LAPSE_SERIALIZER || 'json';
  if (kind === 'json') return {};
  if (kind !== 'v8') throw new Error(`LAPSE_SERIALIZER must be json or v8, got ${JSON.stringify(kind)}`);
  const { serialize, deserialize } = await import('node:v8');
  return {
    serializer: {
      serialize: (value) => serialize(value).toString('base64'),
      deserialize: (text) => deserialize(Buffer.from(text, 'base64')),
    },
  };
}
