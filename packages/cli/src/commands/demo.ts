import { SessionEventListener, type SessionEvent } from '@lapse/events';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { CliError } from '../cli/CliError.js';
import { defineCommand } from '../cli/CommandSpec.js';
import { ExitCode } from '../cli/ExitCode.js';
import type { Output, Style } from '../cli/Output.js';
import { EventTally, lagStats, type DemoEventType } from '../demo/EventTally.js';
import { DEMO_USERS, playStory } from '../demo/playStory.js';
import { connectRedis, type CliRedis } from '../redis/connectRedis.js';
import { resolveClientChoice } from '../redis/openClient.js';
import { resolveNamespace } from '../redis/openSessions.js';
import { parseRedisUrl, type RedisTarget } from '../redis/RedisTarget.js';
import { waitingFor } from '../demo/waitingFor.js';

/** The namespace the demo uses unless `--namespace` says otherwise, so it never mixes with real sessions. */
export const DEMO_NAMESPACE = 'lapse-demo';
/** The demo stops waiting for events this long after its story began. */
export const DEMO_STORY_LIMIT_MS = 20_000;
/** …and in any case this long after it started (Redis start-up included), so it ends within 30 s. */
export const DEMO_TOTAL_LIMIT_MS = 26_000;
/** The demo's sweep schedule: every second, so expiries are reported within about a second. */
export const DEMO_CLEANUP_CRON = '* * * * * *';

const STYLE: Readonly<Record<DemoEventType, Style>> = { created: 'green', deleted: 'yellow', expired: 'magenta' };

/** A Redis for the demo: the one given, or a throwaway one from the harness. */
interface DemoRedis {
  readonly url: string;
  /** Whether the demo started it (and so stops it). */
  readonly started: boolean;
  readonly description: string;
  stop(): Promise<void>;
}

async function provideRedis(values: { redis: string | undefined }, env: NodeJS.ProcessEnv): Promise<DemoRedis> {
  const given = values.redis ?? (env['REDIS_URL'] === '' ? undefined : env['REDIS_URL']);
  if (given !== undefined) {
    const target: RedisTarget = parseRedisUrl(given, values.redis !== undefined ? 'option' : 'env');
    return { url: target.url, started: false, description: `${target.shown} (given; left running)`, stop: () => Promise.resolve() };
  }
  try {
    const { startRedis } = await import('@lapse/redis-harness');
    const handle = await startRedis({ fresh: true });
    const kind = handle.source === 'container' ? 'a redis container' : 'a redis-server on a free port';
    return { url: handle.url, started: true, description: `${handle.url} (${kind}, stopped at the end)`, stop: () => handle.stop() };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    throw new CliError(
      `cannot start a throwaway Redis (${reason}): install redis-server (Debian/Ubuntu: apt-get install redis-server) or start Docker, or pass --redis URL`,
      { cause: error },
    );
  }
}

/** `lapse demo`: a short story of sessions, with every event printed as it arrives. */
export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'a 10-second story of sessions created, touched, renamed, logged out and expiring',
  description:
    'Plays a short story and prints each session event as it arrives, with how late it came. Without --redis ' +
    'and REDIS_URL it starts a throwaway Redis (a container if Docker answers, else redis-server on a free port) ' +
    `and stops it at the end. Six users get sessions with 2-10 s timeouts; two are active again (so they live ` +
    'longer), one signs in and gets a new session id, one logs out everywhere (two sessions), the rest expire. ' +
    'The repository sweeps every second. It ends by itself within 30 s with a summary line, and exits 0 only if ' +
    'every expected event arrived and no other did.',
  options: {},
  positionals: [],
  redisDefault: '$REDIS_URL, else a throwaway Redis started for the demo',
  namespaceDefault: DEMO_NAMESPACE,
  examples: [
    { command: 'lapse demo', what: 'on a throwaway Redis' },
    { command: 'lapse demo --redis redis://127.0.0.1:6379', what: `on your Redis, in namespace ${DEMO_NAMESPACE} (sessions end within seconds)` },
  ],
  async run({ values, output, env }) {
    const namespace = resolveNamespace(values.namespace, DEMO_NAMESPACE);
    const library = resolveClientChoice(values.client);
    const started = Date.now();
    const clock = (): string => `+${((Date.now() - started) / 1000).toFixed(2)}s`.padStart(8);
    const log = (word: string, style: Style | null, user: string, rest: string): void => {
      const label = word.padEnd(8);
      output.line(`${clock()}  ${style === null ? label : output.paint(style, label)} ${user.padEnd(8)} ${rest}`.trimEnd());
    };
    output.line(`lapse demo: ${DEMO_USERS.length} users, sessions with 2-10 s timeouts; each event is printed as it arrives, with its lag`);
    output.line('          (lag: ms after the save, after the logout, or after the session\'s deadline)');
    output.status('starting Redis…');
    const server = await provideRedis(values, env);
    let redis: CliRedis | null = null;
    let repository: RedisIndexedSessionRepository | null = null;
    let listener: SessionEventListener | null = null;
    let progress: NodeJS.Timeout | undefined;
    const tally = new EventTally();
    try {
      redis = await connectRedis(parseRedisUrl(server.url, 'option'), { library, followCluster: true });
      output.line(`${clock()}  Redis ready at ${server.description}, client ${library}`);
      repository = new RedisIndexedSessionRepository(redis.client, { namespace, cleanupCron: DEMO_CLEANUP_CRON });
      listener = new SessionEventListener(repository);
      const onEvent = (event: SessionEvent): void => {
        const arrived = Date.now();
        const session = event.session;
        const deadline = event.type === 'expired' && session !== null ? session.lastAccessedTime + session.maxInactiveInterval * 1000 : undefined;
        const receipt = tally.receive(event.type, event.sessionId, arrived, deadline);
        if (receipt.kind === 'foreign') return;
        const device = session === null ? '' : `  ${String(session.getAttribute('device') ?? '')}`;
        const reason = event.reason === undefined ? '' : `  reason=${event.reason}`;
        if (receipt.kind === 'expected') {
          log(event.type, STYLE[event.type], receipt.event.user, `${event.sessionId.slice(0, 8)}  lag ${receipt.lagMs} ms${device}${reason}`);
        } else {
          log(event.type, 'red', receipt.user, `${event.sessionId.slice(0, 8)}  NOT EXPECTED${reason}`);
        }
      };
      listener.on('created', onEvent);
      listener.on('deleted', onEvent);
      listener.on('expired', onEvent);
      listener.on('error', (error) => output.note(`lapse demo: listener problem: ${error.message}`));
      await listener.start();
      output.line(`${clock()}  listening to session events of namespace ${namespace}; the repository sweeps every second`);

      const storyStarted = Date.now();
      const limit = new AbortController();
      const giveUp = setTimeout(() => limit.abort(), Math.min(DEMO_STORY_LIMIT_MS, DEMO_TOTAL_LIMIT_MS - (storyStarted - started)));
      if (output.interactive) {
        progress = setInterval(() => output.status(`${clock()}  ${waitingFor(tally.pending.length)}`), 200);
      }
      await playStory({
        repository,
        tally,
        say: (action, user, sessions, detail) => log(action, null, user, `${sessions}  ${detail}`.trim()),
      });
      await tally.whenComplete(limit.signal);
      clearTimeout(giveUp);
    } finally {
      clearInterval(progress);
      output.clearStatus();
      await listener?.close();
      await repository?.close();
      await redis?.close();
      await server.stop();
    }
    if (server.started) output.line(`${clock()}  Redis stopped`);

    const expiry = lagStats(tally.lags('expired'));
    const count = (type: DemoEventType): string => `${tally.receivedCount(type)}/${tally.expectedCount(type)} ${type}`;
    output.line('');
    for (const missing of tally.pending) output.line(`missing: ${missing.type} ${missing.user} ${missing.sessionId.slice(0, 8)}`);
    for (const extra of tally.unexpected) output.line(`unexpected: ${extra.type} ${extra.user} ${extra.sessionId.slice(0, 8)}`);
    const summary =
      `summary: ${tally.receivedCount()} of ${tally.expected} expected events received (${count('created')}, ${count('deleted')}, ${count('expired')})` +
      `${tally.unexpected.length > 0 ? `, ${tally.unexpected.length} unexpected` : ''}; expiry lag p50 ${expiry.p50} ms, max ${expiry.max} ms`;
    output.line(tally.complete ? output.paint('green', summary) : output.paint('red', summary));
    return tally.complete ? ExitCode.Ok : ExitCode.Problems;
  },
});
