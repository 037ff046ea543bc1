import { defineCommand } from '../cli/CommandSpec.js';
import { CliError } from '../cli/CliError.js';
import { ExitCode } from '../cli/ExitCode.js';
import type { Output } from '../cli/Output.js';
import { isoTime } from '../format/clockTime.js';
import { formatDuration } from '../format/duration.js';
import { withSessions } from '../redis/openSessions.js';
import { readSessionDetails, type KeyState, type SessionDetails } from '../sessions/SessionDetails.js';

function ttlText(state: KeyState): string {
  if (!state.exists) return `gone  (${state.key})`;
  return `${state.ttlMs === null ? 'none' : formatDuration(state.ttlMs)}  (${state.key})`;
}

function timeText(epochMs: number | null, now: number): string {
  if (epochMs === null) return '-';
  const delta = now - epochMs;
  return `${isoTime(epochMs)}  (${delta >= 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`})`;
}

function render(details: SessionDetails, output: Output): void {
  const now = Date.now();
  const state =
    details.state === 'live'
      ? output.paint('green', 'live')
      : details.state === 'ended'
        ? output.paint('yellow', `ended (deleted or expired; data kept ${details.hash.ttlMs === null ? '' : `${formatDuration(details.hash.ttlMs)} more `}for late events)`)
        : output.paint('red', `unreadable: ${details.problem ?? ''}`);
  const interval = details.maxInactiveInterval;
  const rows: [string, string][] = [
    ['id', details.id],
    ['namespace', details.namespace],
    ['state', state],
    ['principal', details.principal ?? '-'],
    ['created', timeText(details.creationTime, now)],
    ['last accessed', timeText(details.lastAccessedTime, now)],
    ['timeout', interval === null ? '-' : interval < 0 ? 'never' : `${interval}s`],
    ['expires', details.state !== 'live' ? '-' : details.expiresAt === null ? 'never' : timeText(details.expiresAt, now)],
    ['hash TTL', ttlText(details.hash)],
    ['shadow key TTL', ttlText(details.shadowKey)],
  ];
  for (const [label, value] of rows) output.line(`${label.padEnd(16)}${value}`);
  const names = Object.keys(details.attributes).sort();
  output.line(`attributes (${names.length})`);
  for (const name of names) output.line(`  ${name} = ${JSON.stringify(details.attributes[name])}`);
  const others = Object.keys(details.otherFields).sort();
  if (others.length > 0) {
    output.line(`other fields (${others.length})`);
    for (const name of others) output.line(`  ${name} = ${details.otherFields[name] ?? ''}`);
  }
}

/** `lapse show ID`: a session's attributes, times, and the TTLs of its hash and shadow key. */
export const showCommand = defineCommand({
  name: 'show',
  summary: 'show one session: attributes, times, TTLs of its keys',
  description:
    'Shows one session: its state (live, or ended and kept for the grace period), user, creation and last ' +
    'access times, timeout and expiry, the TTLs of its hash and shadow key, and every attribute. ' +
    'Changes nothing (it does not touch the session). Exits 1 when the namespace has no such session.',
  options: {
    json: { type: 'boolean', description: 'print a JSON object instead of text' },
  },
  positionals: [{ name: 'ID', required: true }],
  examples: [
    { command: 'lapse show 3q2-Vb8lTnTCm0e9dZ1rk6xWbQf2hD3u', what: 'everything about one session' },
    { command: 'lapse show "$ID" --json | jq .attributes', what: 'its attributes as JSON' },
  ],
  async run({ values, positionals, output, env }) {
    const id = positionals[0] ?? '';
    const { details, namespace } = await withSessions(values, env, async ({ repository, namespace }) => ({
      details: await readSessionDetails(repository, id),
      namespace,
    }));
    if (details === null) {
      throw new CliError(
        `no session ${JSON.stringify(id)} in namespace ${namespace} (ended more than 5 minutes ago, or another namespace?): list sessions with 'lapse ls'`,
      );
    }
    if (values.json) output.line(JSON.stringify(details, null, 2));
    else render(details, output);
    return details.state === 'unreadable' ? ExitCode.Problems : ExitCode.Ok;
  },
});
