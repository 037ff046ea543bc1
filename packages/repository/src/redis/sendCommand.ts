import { Command, type Cluster, type Redis } from 'ioredis';

const NO_ARGUMENTS: never[] = [];
const UTF8_REPLY = { replyEncoding: 'utf8' } as const;

/**
 * Sends one command as ioredis's own methods do (`redis.evalsha(…)`, `redis.hgetall(…)`),
 * replies decoded as UTF-8 and ioredis's reply transformers applied, but with `args` as given.
 *
 * ioredis's `Command` constructor copies its arguments with `Array.prototype.flat()`, which on
 * Node 20 costs about 2.2 µs for a save's 16 arguments (measured: more than building and
 * writing the command). lapse's arguments are already flat strings and numbers, so the
 * command is made without arguments and given them afterwards (so ioredis's `keyPrefix`
 * would not apply: the repository refuses a connection that has one). Not for commands ioredis
 * transforms the arguments of (HSET and MSET with an object): the transformation is skipped.
 * `args` is changed in place (numbers become strings) and belongs to the command afterwards.
 */
export function sendCommand(redis: Redis | Cluster, name: string, args: (string | number)[]): Promise<unknown> {
  const command = new Command(name, NO_ARGUMENTS, UTF8_REPLY);
  // What the constructor would have done: every argument as a string.
  for (let i = 0; i < args.length; i++) if (typeof args[i] !== 'string') args[i] = String(args[i]);
  command.args = args;
  return redis.sendCommand(command) as Promise<unknown>;
}
