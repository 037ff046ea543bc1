import { defineCommand } from '../cli/CommandSpec.js';
import { ExitCode } from '../cli/ExitCode.js';
import { withSessions } from '../redis/openSessions.js';

/** The reason `lapse rm` gives its `deleted` events unless `--reason` says otherwise. */
export const RM_REASON = 'lapse rm';

/** `lapse rm ID...`: deletes sessions, as the application's `deleteById` would. */
export const rmCommand = defineCommand({
  name: 'rm',
  summary: 'delete sessions by id (listeners get a deleted event)',
  description:
    'Deletes each live session with repository.deleteById, exactly as an application would: its keys and index ' +
    'entries go, and every listener gets a deleted event carrying the session\'s last data and the reason. ' +
    'Prints one line per id. Exits 1 if any id was not a live session (the others are still deleted).',
  options: {
    reason: { type: 'string', valueName: 'TEXT', description: `the deletion reason given to listeners (default: "${RM_REASON}")` },
  },
  positionals: [{ name: 'ID', required: true, variadic: true }],
  examples: [
    { command: 'lapse rm 3q2-Vb8lTnTCm0e9dZ1rk6xWbQf2hD3u', what: 'end one session' },
    { command: 'lapse ls --expiring-within 1m --json | jq -r ".[].id" | xargs lapse rm --reason maintenance', what: 'end every session that would expire within a minute' },
  ],
  async run({ values, positionals, output, env }) {
    const reason = values.reason ?? RM_REASON;
    let missing = 0;
    await withSessions(values, env, async ({ repository, namespace }) => {
      for (const id of positionals) {
        if ((await repository.findById(id)) === null) {
          missing += 1;
          output.line(`not found  ${id}`);
          continue;
        }
        await repository.deleteById(id, { reason });
        output.line(`deleted    ${id}`);
      }
      if (missing > 0) {
        output.note(`lapse rm: ${missing} of ${positionals.length} ids were not live sessions in namespace ${namespace}: check them with 'lapse ls'`);
      }
    });
    return missing === 0 ? ExitCode.Ok : ExitCode.Problems;
  },
});
