import { type RedisClient } from '@lapse/repository';
import { isCommandForbidden, type RedisConnection } from '@lapse/repository/internal';
import { CliError } from '../cli/CliError.js';
import { openClient, type ClientChoice } from './openClient.js';
import { probeRedis, type ProbeOutcome } from './probeRedis.js';
import type { RedisTarget } from './RedisTarget.js';

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  /** The client library (`--client`). */
  readonly library: ClientChoice;
  /**
   * Whether the connection reconnects after it once worked (for long-running commands such as
   * `watch`). The first connection attempt never retries, so a wrong URL fails at once.
   */
  readonly reconnect?: boolean;
  /** Connect to this host and port instead of the target's (a cluster master), same credentials. */
  readonly node?: { readonly host: string; readonly port: number };
  /**
   * When the URL names a Redis Cluster node (`INFO cluster`), connect with a Cluster client seeded
   * with it instead, so commands reach every master. Default: one plain connection to that node.
   */
  readonly followCluster?: boolean;
}

/** A connection of the CLI: the client (to hand to a repository) and its seam connection. */
export interface CliRedis {
  readonly client: RedisClient;
  /** How every command talks to Redis. */
  readonly connection: RedisConnection;
  /** The client library. */
  readonly library: ClientChoice;
  /** Closes the client, quietly. */
  close(): Promise<void>;
}

/** What to do about a failed connection, from its error. */
function advice(message: string, target: RedisTarget): string {
  if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(message)) {
    return 'check the user name and password in the URL (redis://user:password@host:port)';
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `check the host name ${JSON.stringify(target.host)}`;
  const given = target.from === 'default' ? 'nothing was given, so the default was tried: ' : '';
  return `${given}start Redis there, or pass --redis URL (or set REDIS_URL)`;
}

/** The first line of an error, with its code (`ECONNREFUSED`) when the message lacks it. */
function describe(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = (cause as { code?: unknown } | null)?.code;
  const what = typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
  return what.split('\n')[0] ?? what;
}

/** Whether a connection error is Redis refusing the database (node-redis's connect rejects with it). */
function isSelectRefusal(cause: unknown): boolean {
  return /DB index is out of range|invalid DB index|\bSELECT\b/i.test(cause instanceof Error ? cause.message : String(cause));
}

/** The one-line failure for a database Redis does not have; nothing has been read, written or deleted. */
function wrongDatabase(target: RedisTarget, why: string, cause?: unknown): CliError {
  return new CliError(
    `cannot select database ${target.database} (${why}) at ${target.shown}: nothing was read, written or deleted; ` +
      `use a database this Redis has (its "databases" setting, 16 by default, numbers them from 0), or drop /${target.database} from the URL`,
    cause === undefined ? {} : { cause },
  );
}

/**
 * Connects with the chosen client library to `target` (or one node of it) and makes sure the
 * connection is on the URL's database before any command runs: node-redis refuses to connect
 * when SELECT fails, ioredis connects and stays on database 0, so the database is asked of
 * Redis (`CLIENT INFO`). Rejects with a one-line {@link CliError} saying what to do when Redis
 * cannot be reached, refuses the credentials, or has no such database. Errors after that are
 * left to the commands that get them.
 *
 * First {@link probeRedis} asks the address itself: a server that answers as something other
 * than Redis (`not a Redis server: it answered "HTTP/1.1 400 Bad Request"`) or does not answer
 * within `target.connectTimeoutMs` is reported as such, and connecting as a whole (client
 * handshake, database check, cluster client) is bounded by the same time.
 */
export async function connectRedis(target: RedisTarget, options: ConnectRedisOptions): Promise<CliRedis> {
  const where = options.node === undefined ? target.shown : `${options.node.host}:${options.node.port}`;
  const host = options.node?.host ?? target.host;
  const port = options.node?.port ?? target.port;
  const timeoutMs = target.connectTimeoutMs;
  const probe = await probeRedis({ host, port, tls: new URL(target.url).protocol === 'rediss:' }, timeoutMs);
  if (probe.kind === 'not-redis' || probe.kind === 'silent') throw notRedis(probe, where, target);
  // The probe said Redis; the clients' handshake (and the database check) is bounded all the same.
  const deadline = new AbortController();
  const connecting = connectClient(target, options, where, deadline.signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      deadline.abort();
      reject(notRedis({ kind: 'silent', connected: true }, where, target));
    }, timeoutMs);
  });
  // Once the deadline has passed, the attempt's own failure is of no interest, and a late success is closed.
  connecting.then((late) => (deadline.signal.aborted ? late.close() : undefined)).catch(() => undefined);
  try {
    return await Promise.race([connecting, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `ms` as the messages say it: `5 s`, `0.5 s`. */
function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

/** The one-line failure for an address where no Redis answers: something else, or nothing in time. */
function notRedis(probe: Exclude<ProbeOutcome, { kind: 'redis' | 'unreachable' }>, where: string, target: RedisTarget): CliError {
  const given = target.from === 'default' ? 'nothing was given, so the default was tried: ' : '';
  if (probe.kind === 'not-redis') {
    const tls = new URL(target.url).protocol === 'rediss:';
    const silentClose = `it closed the connection without answering PING${tls ? '' : '; if it takes TLS, use rediss://'}`;
    const answer = probe.answer === '' ? silentClose : `it answered ${JSON.stringify(probe.answer)}`;
    return new CliError(`cannot connect to Redis at ${where} (not a Redis server: ${answer}): ${given}check the host and port, and pass a Redis's URL with --redis URL (or set REDIS_URL)`);
  }
  const what = probe.connected ? `it accepted the connection but gave no answer within ${seconds(target.connectTimeoutMs)}` : `no connection within ${seconds(target.connectTimeoutMs)}`;
  return new CliError(
    `cannot connect to Redis at ${where} (${what}): ${given}check that Redis listens there (not another server, nor behind a firewall), or set LAPSE_CONNECT_TIMEOUT to wait longer (e.g. 30s)`,
  );
}

/** {@link connectRedis} once the address answered as Redis: the client, the database check, the cluster. */
async function connectClient(target: RedisTarget, options: ConnectRedisOptions, where: string, signal: AbortSignal): Promise<CliRedis> {
  let lastError: Error | undefined;
  const url = new URL(target.url);
  const password = decodeURIComponent(url.password);
  const address = {
    host: options.node?.host ?? target.host,
    port: options.node?.port ?? target.port,
    username: target.username,
    password: password === '' ? undefined : password,
    database: target.database,
    tls: url.protocol === 'rediss:',
  };
  const clientOptions = {
    library: options.library,
    reconnect: options.reconnect ?? false,
    onError: (error: Error): void => {
      lastError = error;
    },
    connectTimeoutMs: target.connectTimeoutMs,
    signal,
  };
  let opened;
  try {
    opened = await openClient(address, clientOptions);
  } catch (error) {
    const cause = lastError ?? error;
    if (target.database !== 0 && isSelectRefusal(cause)) throw wrongDatabase(target, describe(cause), cause);
    const message = describe(cause);
    throw new CliError(`cannot connect to Redis at ${where} (${message}): ${advice(message, target)}`, { cause });
  }
  let cluster = false;
  try {
    await checkDatabase(opened.connection, target, () => lastError);
    cluster = options.followCluster === true && (await isClusterNode(opened.connection));
  } catch (error) {
    await opened.close();
    if (error instanceof CliError) throw error;
    const message = describe(error);
    throw new CliError(`cannot connect to Redis at ${where} (${message}): ${advice(message, target)}`, { cause: error });
  }
  if (cluster) {
    // The node answered on database 0 (a cluster has no other): now a client for the whole cluster.
    await opened.close();
    try {
      opened = await openClient(address, { ...clientOptions, cluster: true });
    } catch (error) {
      const message = describe(lastError ?? error);
      throw new CliError(`cannot connect to the Redis Cluster of ${where} (${message}): check that every node it announces is reachable from here`, { cause: error });
    }
  }
  return { client: opened.client, connection: opened.connection, library: options.library, close: opened.close };
}

/** Whether the server is a Redis Cluster node (`INFO cluster`); `false` where INFO is not allowed. */
async function isClusterNode(connection: RedisConnection): Promise<boolean> {
  try {
    return /^cluster_enabled:1\s*$/m.test(String(await connection.send('INFO', ['cluster'])));
  } catch (error) {
    if (isCommandForbidden(error)) return false;
    throw error;
  }
}

/**
 * Asks Redis which database the connection is on and throws {@link CliError} unless it is the
 * URL's. Where the user may not run `CLIENT INFO`, a connection that never selected (database 0)
 * is trusted; any other is refused, since lapse cannot tell.
 */
async function checkDatabase(connection: RedisConnection, target: RedisTarget, lastError: () => Error | undefined): Promise<void> {
  if (connection.clustered) return;
  let actual: number;
  try {
    actual = await connection.currentDatabase();
  } catch (error) {
    if (!isCommandForbidden(error)) throw error;
    if (target.database === 0) return;
    throw new CliError(
      `cannot confirm database ${target.database} at ${target.shown}: this user may not run CLIENT INFO, which lapse uses to make sure a SELECT did not fail: ACL SETUSER <user> +client|info`,
      { cause: error },
    );
  }
  if (actual === target.database) return;
  const refusal = lastError();
  const why = refusal !== undefined && isSelectRefusal(refusal) ? `${describe(refusal)}; the connection stayed on database ${actual}` : `the connection is on database ${actual}`;
  throw wrongDatabase(target, why, refusal);
}
