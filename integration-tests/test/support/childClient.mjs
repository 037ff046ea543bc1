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
