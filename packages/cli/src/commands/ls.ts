import { defineCommand } from '../cli/CommandSpec.js';
import { ExitCode } from '../cli/ExitCode.js';
import { parseDuration, formatDuration } from '../format/duration.js';
import { renderTable } from '../format/table.js';
import { withSessions } from '../redis/openSessions.js';
import { listSessions } from '../sessions/listSessions.js';

/** `lapse ls`: the live sessions of a namespace, soonest to expire first. */
export const lsCommand = defineCommand({
  name: 'ls',
  summary: 'list live sessions (all, one user\'s, or those expiring soon)',
  description:
    'Lists the live sessions of the namespace, soonest to expire first: id, user (principal), idle time, ' +
    'time left before expiry (by Redis\'s clock) and timeout. Reads with SCAN, never KEYS, and changes nothing.',
  options: {
    principal: { type: 'string', valueName: 'NAME', description: 'only the sessions of this user (from the principal index)' },
    'expiring-within': {
      type: 'string',
      valueName: 'DURATION',
      description: 'only sessions that expire within DURATION (90s, 5m, 2h, 1d; a bare number is seconds)',
    },
    json: { type: 'boolean', description: 'print a JSON array instead of a table' },
  },
  positionals: [],
  examples: [
    { command: 'lapse ls', what: 'every live session in spring:session on $REDIS_URL (or localhost)' },
    { command: 'lapse ls --principal ada', what: 'the sessions of user ada' },
    { command: 'lapse ls --expiring-within 5m --json | jq -r ".[].id"', what: 'ids of the sessions ending in the next 5 minutes' },
  ],
  async run({ values, output, env }) {
    const within = values['expiring-within'];
    const expiringWithinMs = within === undefined ? undefined : parseDuration(within, '--expiring-within');
    const sessions = await withSessions(values, env, ({ repository }) =>
      listSessions(repository, {
        ...(values.principal === undefined ? {} : { principal: values.principal }),
        ...(expiringWithinMs === undefined ? {} : { expiringWithinMs }),
        onProgress: (read) => output.status(`reading sessions… ${read}`),
      }),
    );
    output.clearStatus();
    if (values.json) {
      output.line(JSON.stringify(sessions, null, 2));
      return ExitCode.Ok;
    }
    if (sessions.length === 0) {
      output.line('no sessions');
      return ExitCode.Ok;
    }
    const now = Date.now();
    const rows = sessions.map((s) => [
      s.id,
      s.principal ?? '-',
      formatDuration(now - s.lastAccessedTime),
      s.expiresInMs === null ? 'never' : formatDuration(s.expiresInMs),
      s.maxInactiveInterval < 0 ? 'never' : formatDuration(s.maxInactiveInterval * 1000),
    ]);
    const [header, ...body] = renderTable(['ID', 'PRINCIPAL', 'IDLE', 'EXPIRES IN', 'TIMEOUT'], rows);
    output.line(output.paint('bold', header ?? ''));
    for (const line of body) output.line(line);
    output.line(`${sessions.length} session${sessions.length === 1 ? '' : 's'}`);
    return ExitCode.Ok;
  },
});
