import { createRequire } from 'node:module';
import type { Cluster, Command, Redis } from 'ioredis';
import type {
  CommandArgument,
  RedisBlockingConnection,
  RedisConnection,
  RedisNodeConnection,
  RedisReply,
  RedisSubscriber,
  ScriptSource,
} from '../RedisConnection.js';
import { databaseOfClientInfo, normalizeReply } from '../normalizeReply.js';
import { SocketCorking } from './SocketCorking.js';

/** How often a Cluster's masters are compared with the last view (ioredis may not emit a change). */
const TOPOLOGY_POLL_MS = 2_000;
const NO_ARGUMENTS: never[] = [];
const UTF8_REPLY = { replyEncoding: 'utf8' } as const;

type CommandClass = typeof Command;
type Client = Redis | Cluster;

/**
 * The {@link RedisConnection} over an ioredis 6 `Redis` or `Cluster`. ioredis is not imported
 * at runtime: its `Command` class is taken from the client given.
 *
 * Two ioredis-only tricks live here:
 * - the `Command.args` shortcut: ioredis's `Command` constructor copies its arguments with
 *   `Array.prototype.flat()`, which on Node 20 cost about 2.2 µs for a save's 16 arguments
 *   (more than building and writing the command). lapse's arguments are already flat strings
 *   and numbers, so the command is made without arguments and given them afterwards (so a
 *   `keyPrefix` would not apply: such clients are refused, and argument transformers of HSET
 *   and MSET with an object are skipped);
 * - socket corking ({@link SocketCorking}), unless `coalesceWrites` is false.
 */
export class IoredisConnection implements RedisConnection {
  readonly library = 'ioredis';
  readonly clustered: boolean;
  readonly requestedDatabase: number;
  readonly #command: CommandClass;
  readonly #corking: SocketCorking | null;

  constructor(readonly client: Client, options: { coalesceWrites: boolean }) {
    this.clustered = client.isCluster;
    this.requestedDatabase = this.clustered ? 0 : ((client as Redis).options.db ?? 0);
    this.#command = commandClassOf(client);
    this.#corking = options.coalesceWrites ? new SocketCorking(client) : null;
  }

  get closed(): boolean {
    return this.client.status === 'end';
  }

  send(name: string, args: readonly CommandArgument[]): Promise<RedisReply> {
    this.#corking?.beforeSend();
    return sendOn(this.client, this.#command, name, args);
  }

  runScript(script: ScriptSource, keys: readonly string[], args: readonly CommandArgument[]): Promise<RedisReply> {
    return this.send('evalsha', [script.sha, keys.length, ...keys, ...args]).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return this.send('eval', [script.source, keys.length, ...keys, ...args]);
      }
      throw error;
    });
  }

  async masters(): Promise<readonly RedisNodeConnection[]> {
    if (!this.clustered) {
      const redis = this.client as Redis;
      if (redis.status !== 'ready') await this.send('ping', []);
      return [{ address: addressOf(redis), send: (name, args) => this.send(name, args) }];
    }
    const cluster = this.client as Cluster;
    if (cluster.status !== 'ready') await this.send('ping', []);
    return cluster.nodes('master').map((node) => ({
      address: addressOf(node),
      send: (name: string, args: readonly CommandArgument[]) => sendOn(node, this.#command, name, args),
    }));
  }

  onTopologyChange(listener: () => void): () => void {
    if (!this.clustered) return () => undefined;
    const cluster = this.client as Cluster;
    let seen = mastersKey(cluster);
    const check = (): void => {
      const now = mastersKey(cluster);
      if (now === seen) return;
      seen = now;
      listener();
    };
    const onEvent = (): void => {
      seen = mastersKey(cluster);
      listener();
    };
    cluster.on('+node', onEvent);
    cluster.on('-node', onEvent);
    cluster.on('refresh', onEvent);
    const timer = setInterval(check, TOPOLOGY_POLL_MS);
    timer.unref();
    return () => {
      clearInterval(timer);
      cluster.off('+node', onEvent);
      cluster.off('-node', onEvent);
      cluster.off('refresh', onEvent);
    };
  }

  async currentDatabase(): Promise<number> {
    if (this.clustered) return 0;
    return databaseOfClientInfo(await this.send('client', ['INFO']));
  }

  async openSubscriber(node?: RedisNodeConnection): Promise<RedisSubscriber> {
    return new IoredisSubscriber(await this.#duplicateSingle(node, { autoResubscribe: false }), this.#command);
  }

  async openBlockingConnection(): Promise<RedisBlockingConnection> {
    const redis = await this.#duplicateSingle(undefined, {});
    const command = this.#command;
    let closed = false;
    return {
      send: (name, args) => sendOn(redis, command, name, args),
      close: async () => {
        if (closed) return;
        closed = true;
        redis.disconnect();
      },
    };
  }

  /** A connection of lapse's own: a duplicate of the single Redis, or of one master of a Cluster. */
  async #duplicateSingle(node: RedisNodeConnection | undefined, options: { autoResubscribe?: boolean }): Promise<Redis> {
    let source: Redis;
    if (!this.clustered) {
      source = this.client as Redis;
    } else {
      const masters = await this.masters();
      const address = node?.address ?? masters[0]?.address;
      const found = (this.client as Cluster).nodes('master').find((n) => addressOf(n) === address);
      if (found === undefined) throw new Error(`no master ${String(address)} in the cluster`);
      source = found;
    }
    const redis = source.duplicate(options);
    // Reconnection is automatic; failures surface where they matter.
    redis.on('error', () => undefined);
    return redis;
  }
}

/** Pub/sub on a duplicate with ioredis's own resubscribe off: it subscribes again on each `ready`. */
class IoredisSubscriber implements RedisSubscriber {
  readonly #channels = new Map<string, (channel: string, message: string) => void>();
  readonly #patterns = new Map<string, (channel: string, message: string) => void>();
  readonly #reconnectListeners: (() => void)[] = [];
  #readyBefore = false;
  #closed = false;

  constructor(private readonly redis: Redis, private readonly command: CommandClass) {
    this.#readyBefore = redis.status === 'ready';
    redis.on('message', (channel: string, message: string) => this.#channels.get(channel)?.(channel, message));
    redis.on('pmessage', (pattern: string, channel: string, message: string) => this.#patterns.get(pattern)?.(channel, message));
    redis.on('ready', () => {
      if (!this.#readyBefore) {
        this.#readyBefore = true;
        return;
      }
      // ioredis's own resubscribe leaves a rejected promise unhandled when the connection
      // drops again meanwhile; this one ignores that (the next 'ready' subscribes again).
      void this.#resubscribe().then(
        () => {
          for (const listener of this.#reconnectListeners) listener();
        },
        () => undefined,
      );
    });
  }

  async #resubscribe(): Promise<void> {
    const sent: Promise<RedisReply>[] = [];
    if (this.#channels.size > 0) sent.push(sendOn(this.redis, this.command, 'subscribe', [...this.#channels.keys()]));
    if (this.#patterns.size > 0) sent.push(sendOn(this.redis, this.command, 'psubscribe', [...this.#patterns.keys()]));
    await Promise.all(sent);
  }

  async subscribe(channels: readonly string[], onMessage: (channel: string, message: string) => void): Promise<void> {
    for (const channel of channels) this.#channels.set(channel, onMessage);
    await this.redis.subscribe(...channels);
  }

  async psubscribe(patterns: readonly string[], onMessage: (channel: string, message: string) => void): Promise<void> {
    for (const pattern of patterns) this.#patterns.set(pattern, onMessage);
    await this.redis.psubscribe(...patterns);
  }

  onReconnect(listener: () => void): void {
    this.#reconnectListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.redis.disconnect();
  }
}

/** Sends one command with the `Command.args` shortcut (see {@link IoredisConnection}); replies in RESP2 shape. */
function sendOn(client: Client, CommandClass: CommandClass, name: string, args: readonly CommandArgument[]): Promise<RedisReply> {
  const command = new CommandClass(name.toLowerCase(), NO_ARGUMENTS, UTF8_REPLY);
  // What the constructor would have done: every argument as a string.
  const strings = new Array<string>(args.length);
  for (let i = 0; i < args.length; i++) strings[i] = String(args[i]);
  command.args = strings;
  return (client.sendCommand(command) as Promise<unknown>).then(normalizeReply);
}

/** ioredis's `Command` class, from the client (ioredis is an optional peer: not imported). */
function commandClassOf(client: Client): CommandClass {
  const fromClass = (client.constructor as { Command?: CommandClass }).Command;
  if (typeof fromClass === 'function') return fromClass;
  // A Cluster's class does not carry it; the ioredis the caller uses is resolvable from here.
  const ioredis = createRequire(import.meta.url)('ioredis') as { Command: CommandClass };
  return ioredis.Command;
}

function addressOf(redis: Redis): string {
  const { host, port, path } = redis.options;
  return typeof path === 'string' && path !== '' ? path : `${host ?? '127.0.0.1'}:${port ?? 6379}`;
}

function mastersKey(cluster: Cluster): string {
  return cluster.nodes('master').map(addressOf).sort().join(' ');
}
