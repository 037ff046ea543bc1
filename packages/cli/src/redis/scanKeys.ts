import { globLiteral, type RedisNodeConnection } from '@lapse/repository/internal';

/** A server to send commands to: a single Redis's connection, or one master of a Cluster. */
export type CommandTarget = Pick<RedisNodeConnection, 'send'>;

/** Every key starting with `prefix` on one server, found with SCAN (never KEYS), in batches. */
export async function* scanKeys(node: CommandTarget, prefix: string, count = 1000): AsyncIterable<string[]> {
  const pattern = `${globLiteral(prefix)}*`;
  let cursor = '0';
  do {
    const [next, keys] = (await node.send('SCAN', [cursor, 'MATCH', pattern, 'COUNT', count])) as [string, string[]];
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}
