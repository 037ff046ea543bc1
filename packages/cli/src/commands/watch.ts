import { SessionEventListener, type SessionEvent } from '@lapse/events';
import { KeyspaceNotificationsError } from '@lapse/repository';
import { ensureKeyspaceNotifications } from '@lapse/repository/internal';
import { CliError } from '../cli/CliError.js';
import { defineCommand } from '../cli/CommandSpec.js';
import { ExitCode } from '../cli/ExitCode.js';
import { parseCount } from '../format/parseCount.js';
import { openSessions } from '../redis/openSessions.js';
import { formatWatchedEvent, toWatchedEvent } from '../watch/WatchedEvent.js';

/** How often `--sweep` runs the cleanup sweep (node-cron, seconds first). */
export const WATCH_SWEEP_CRON = '* * * * * *';

/** `lapse watch`: session events of a live Redis as they happen. */
export const watchCommand = defineCommand({
  name: 'watch',
  summary: 'stream session events (created, deleted, expired) as they happen',
  description:
    'Prints every session event of the namespace as it arrives: time, type, session id, user, lag (for expired: ms ' +
    'after the deadline; for created: ms after creation) and, for deleted, the reason. Runs until Ctrl-C (or ' +
    '--count events), then exits 0. Like any lapse listener it turns on the keyspace notifications it needs ' +
    '(notify-keyspace-events E, g, x) unless --no-configure is given, and says so on stderr. ' +
    'A line on stderr says when it is listening.',
  options: {
    json: { type: 'boolean', description: 'one JSON object per line: {time, type, sessionId, principal, lagMs, reason}' },
    count: { type: 'string', valueName: 'N', description: 'exit after N events' },
    sweep: { type: 'boolean', description: 'also run the cleanup sweep every second, so expiries are reported on time even when no app runs it' },
    'no-configure': { type: 'boolean', description: 'never change notify-keyspace-events; fail if it lacks E, g or x' },
  },
  positionals: [],
  examples: [
    { command: 'lapse watch', what: 'follow the sessions of spring:session on $REDIS_URL (or localhost)' },
    { command: 'lapse watch --json | jq -c "select(.type == \\"expired\\")"', what: 'only expiries, as JSON' },
    { command: 'lapse watch --namespace myapp --count 1', what: 'wait for the next event of myapp, then exit' },
  ],
  async run({ values, output, env }) {
    const limit = values.count === undefined ? Number.POSITIVE_INFINITY : parseCount(values.count, '--count');
    const configure = !values['no-configure'];
    const sessions = await openSessions(values, env, { reconnect: true, cleanupCron: values.sweep ? WATCH_SWEEP_CRON : null });
    const { repository, target, namespace } = sessions;
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const listener = new SessionEventListener(repository, { configureKeyspaceNotifications: configure });
    try {
      const status = await ensureKeyspaceNotifications(repository.connection, configure).catch((error: unknown) => {
        if (error instanceof KeyspaceNotificationsError && error.current === null) {
          throw new CliError(
            "this Redis does not allow CONFIG, so lapse watch can neither check nor turn on keyspace notifications: set notify-keyspace-events to Egx in the provider's console, then run with --no-configure",
            { cause: error },
          );
        }
        if (error instanceof KeyspaceNotificationsError) throw new CliError(`${error.message} (see 'lapse doctor')`, { cause: error });
        throw error;
      });
      if (status.state === 'configured' && status.changed) {
        output.note(`lapse watch: turned on keyspace notifications: notify-keyspace-events is now "${status.value}"`);
      }
      let seen = 0;
      const print = (event: SessionEvent): void => {
        if (seen >= limit) return;
        seen += 1;
        const watched = toWatchedEvent(repository, event, Date.now());
        output.line(values.json ? JSON.stringify(watched) : formatWatchedEvent(watched, output));
        if (seen >= limit) stop.abort();
      };
      listener.on('created', print);
      listener.on('deleted', print);
      listener.on('expired', print);
      listener.on('error', (error) => output.note(`lapse watch: ${error.message}`));
      try {
        await listener.start();
      } catch (error) {
        if (error instanceof KeyspaceNotificationsError) throw new CliError(`${error.message} (see 'lapse doctor')`, { cause: error });
        throw error;
      }
      output.note(`lapse watch: listening to namespace ${namespace} on${repository.connection.clustered ? ' the Redis Cluster of' : ''} ${target.shown}${values.sweep ? ', sweeping every second' : ''} (Ctrl-C to stop)`);
      if (!stop.signal.aborted) await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
      return ExitCode.Ok;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await listener.close();
      await sessions.close();
    }
  },
});
