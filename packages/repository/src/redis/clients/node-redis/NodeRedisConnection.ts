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
import { NodeRedisClusterTopology } from './NodeRedisClusterTopology.js';

/**
 * node-redis's RESP type codes (`RESP_TYPES`, the same in 5.x and 6.x), mapped per command so
 * replies come in RESP2 shape whatever the client's own `typeMapping` and protocol: text as
 * strings, maps as flat arrays, sets as arrays, doubles as text.
 */
const RESP2_SHAPES = {
  36: String, // blob string
  43: String, // simple string
  61: String, // verbatim string
  44: String, // double
  40: String, // big number
  37: Array, // map
  126: Array, // set
} as const;
const COMMAND_OPTIONS = { typeMapping: RESP2_SHAPES } as const;
/**
 * `XREAD`/`XREADGROUP` answer a map of stream → entries in RESP3, where RESP2 has an array of
 * `[stream, entries]` pairs: decoded as a `Map`, then made into those pairs.
 */
const STREAM_READ_OPTIONS = { typeMapping: { ...RESP2_SHAPES, 37: Map } } as const;

/** Sends on one client: RESP2 shapes, including XREAD's (see {@link STREAM_READ_OPTIONS}). */
function sendOn(client: NodeRedisClientApi, name: string, args: readonly CommandArgument[]): Promise<RedisReply> {
  if (!isStreamRead(name)) return client.sendCommand(toStrings(name, args), COMMAND_OPTIONS).then(normalizeReply);
  return client.sendCommand(toStrings(name, args), STREAM_READ_OPTIONS).then(streamPairs);
}

function isStreamRead(name: string): boolean {
  const first = name.charCodeAt(0);
  if (first !== 88 && first !== 120) return false; // not X or x: the hot path's commands stop here
  const upper = name.toUpperCase();
  return upper === 'XREAD' || upper === 'XREADGROUP';
}

function streamPairs(reply: unknown): RedisReply {
  if (!(reply instanceof Map)) return normalizeReply(reply);
  const pairs: RedisReply[] = [];
  for (const [stream, entries] of reply) pairs.push([normalizeReply(stream), normalizeReply(entries)]);
  return pairs;
}

type Listener = (message: string, channel: string) => void;

/** What lapse uses of a node-redis `createClient()` client (5.x and 6.x alike). */
export interface NodeRedisClientApi {
  readonly isOpen: boolean;
  readonly isReady?: boolean;
  readonly options?: {
    readonly database?: number;
    readonly socket?: { readonly host?: string; readonly port?: number; readonly path?: string };
  };
  sendCommand(args: readonly string[], options?: object): Promise<unknown>;
  duplicate(overrides?: object): NodeRedisClientApi;
  connect(): Promise<unknown>;
  destroy(): void;
  subscribe(channels: string[], listener: Listener): Promise<void>;
  pSubscribe(patterns: string[], listener: Listener): Promise<void>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** A master in a node-redis cluster's slot map. */
interface MasterNode {
  readonly address: string;
}

/** What lapse uses of a node-redis `createCluster()` cluster. */
export interface NodeRedisClusterApi {
  readonly isOpen: boolean;
  readonly masters: readonly MasterNode[];
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: readonly string[], options?: object): Promise<unknown>;
  nodeClient(node: MasterNode): NodeRedisClientApi | Promise<NodeRedisClientApi>;
}

/**
 * The {@link RedisConnection} over a node-redis 5/6 client or cluster, connected by the
 * caller. Commands go through `sendCommand`, so node-redis's own tick pipelining batches them;
 * subscribers and blocking readers are `duplicate()`s lapse opens and closes. On a Cluster it
 * keeps node-redis's slot map current across failovers ({@link NodeRedisClusterTopology}).
 */
export class NodeRedisConnection implements RedisConnection {
  readonly library = 'node-redis';
  readonly requestedDatabase: number;
  readonly #single: NodeRedisClientApi | null;
  readonly #cluster: NodeRedisClusterApi | null;
  /** Keeps the cluster's slot map current (node-redis alone refreshes it only on MOVED). */
  readonly #topology: NodeRedisClusterTopology | null;

  constructor(readonly client: NodeRedisClientApi | NodeRedisClusterApi, readonly clustered: boolean) {
    this.#single = clustered ? null : (client as NodeRedisClientApi);
    this.#cluster = clustered ? (client as NodeRedisClusterApi) : null;
    this.requestedDatabase = this.#single?.options?.database ?? 0;
    const cluster = this.#cluster;
    this.#topology =
      cluster === null ? null : NodeRedisClusterTopology.of(cluster, async (node) => sendOn(await cluster.nodeClient(node), 'CLUSTER', ['SLOTS']));
  }

  get closed(): boolean {
    return this.client.isOpen === false;
  }

  send(name: string, args: readonly CommandArgument[], key?: string): Promise<RedisReply> {
    if (!isStreamRead(name)) return this.#sendStrings(toStrings(name, args), key);
    if (this.#single !== null) return sendOn(this.#single, name, args);
    return (this.#cluster as NodeRedisClusterApi).sendCommand(key, false, toStrings(name, args), STREAM_READ_OPTIONS).catch(this.#suspectOnFailure).then(streamPairs);
  }

  /** Rethrows `error`, first asking for a topology check when no Redis reply caused it (a lost or dropped node). */
  readonly #suspectOnFailure = (error: unknown): never => {
    if (!isErrorReply(error)) this.#topology?.suspect();
    throw error;
  };

  runScript(script: ScriptSource, keys: readonly string[], args: readonly CommandArgument[]): Promise<RedisReply> {
    // The command's strings built once (a request's hot path): EVALSHA sha n keys… args….
    const command = new Array<string>(3 + keys.length + args.length);
    command[0] = 'EVALSHA';
    command[1] = script.sha;
    command[2] = String(keys.length);
    let at = 3;
    for (const key of keys) command[at++] = key;
    for (const arg of args) command[at++] = String(arg);
    return this.#sendStrings(command, keys[0]).catch((error: unknown) => {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      command[0] = 'EVAL';
      command[1] = script.source;
      return this.#sendStrings(command, keys[0]);
    });
  }

  /** Sends a command already in strings (not a stream read) on the client or, by `key`, the cluster. */
  #sendStrings(command: string[], key: string | undefined): Promise<RedisReply> {
    if (this.#single !== null) return this.#single.sendCommand(command, COMMAND_OPTIONS).then(normalizeReply);
    return (this.#cluster as NodeRedisClusterApi).sendCommand(key, false, command, COMMAND_OPTIONS).catch(this.#suspectOnFailure).then(normalizeReply);
  }

  async masters(): Promise<readonly RedisNodeConnection[]> {
    if (this.#single !== null) {
      return [{ address: addressOf(this.#single), send: (name, args) => this.send(name, args) }];
    }
    const cluster = this.#cluster as NodeRedisClusterApi;
    await this.#topology?.settle();
    return cluster.masters.map(({ address }) => ({
      address,
      send: async (name: string, args: readonly CommandArgument[]) => {
        // Looked up at each send: after a failover the node is gone from the map (its client
        // destroyed), and nodeClient() of the old entry would open a connection to the dead node.
        const master = cluster.masters.find((m) => m.address === address);
        if (master === undefined) {
          this.#topology?.suspect();
          throw new Error(`${address} is no longer a master of the cluster`);
        }
        try {
          return await sendOn(await cluster.nodeClient(master), name, args);
        } catch (error) {
          return this.#suspectOnFailure(error);
        }
      },
    }));
  }

  onTopologyChange(listener: () => void): () => void {
    return this.#topology === null ? () => undefined : this.#topology.onChange(listener);
  }

  async currentDatabase(): Promise<number> {
    if (this.clustered) return 0;
    return databaseOfClientInfo(await this.send('CLIENT', ['INFO']));
  }

  async openSubscriber(node?: RedisNodeConnection): Promise<RedisSubscriber> {
    return new NodeRedisSubscriber(await this.#duplicate(node));
  }

  async openBlockingConnection(): Promise<RedisBlockingConnection> {
    const client = await this.#duplicate(undefined);
    let closed = false;
    return {
      send: (name, args) => sendOn(client, name, args),
      close: async () => {
        if (closed) return;
        closed = true;
        client.destroy();
      },
    };
  }

  /** A connected duplicate of the single client, or of one master's client of a Cluster. */
  async #duplicate(node: RedisNodeConnection | undefined): Promise<NodeRedisClientApi> {
    let source: NodeRedisClientApi;
    if (this.#single !== null) {
      source = this.#single;
    } else {
      const cluster = this.#cluster as NodeRedisClusterApi;
      const master = node === undefined ? cluster.masters[0] : cluster.masters.find((m) => m.address === node.address);
      if (master === undefined) throw new Error(`no master ${node?.address ?? ''} in the cluster`);
      source = await cluster.nodeClient(master);
    }
    const duplicate = source.duplicate();
    // Reconnection is automatic; failures surface where they matter.
    duplicate.on('error', () => undefined);
    await duplicate.connect();
    return duplicate;
  }
}

/** Pub/sub on a duplicate: node-redis subscribes again by itself after a reconnect, before `ready`. */
class NodeRedisSubscriber implements RedisSubscriber {
  readonly #reconnectListeners: (() => void)[] = [];
  #closed = false;

  constructor(private readonly client: NodeRedisClientApi) {
    let readyBefore = client.isReady !== false;
    client.on('ready', () => {
      if (!readyBefore) {
        readyBefore = true;
        return;
      }
      for (const listener of this.#reconnectListeners) listener();
    });
  }

  subscribe(channels: readonly string[], onMessage: (channel: string, message: string) => void): Promise<void> {
    return this.client.subscribe([...channels], (message, channel) => onMessage(channel, message));
  }

  psubscribe(patterns: readonly string[], onMessage: (channel: string, message: string) => void): Promise<void> {
    return this.client.pSubscribe([...patterns], (message, channel) => onMessage(channel, message));
  }

  onReconnect(listener: () => void): void {
    this.#reconnectListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.client.destroy();
  }
}

/** Whether node-redis rejected with a Redis error reply (`ErrorReply` and its subclasses, 5.x and 6.x), not a connection failure. */
function isErrorReply(error: unknown): boolean {
  for (let proto: unknown = Object.getPrototypeOf(error); typeof proto === 'object' && proto !== null && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { constructor?: { name?: string } }).constructor?.name === 'ErrorReply') return true;
  }
  return false;
}

function toStrings(name: string, args: readonly CommandArgument[]): string[] {
  const command = new Array<string>(args.length + 1);
  command[0] = name;
  for (let i = 0; i < args.length; i++) command[i + 1] = String(args[i]);
  return command;
}

function addressOf(client: NodeRedisClientApi): string {
  const socket = client.options?.socket;
  if (typeof socket?.path === 'string' && socket.path !== '') return socket.path;
  return `${socket?.host ?? 'localhost'}:${socket?.port ?? 6379}`;
}
