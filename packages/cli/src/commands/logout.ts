import { defineCommand } from '../cli/CommandSpec.js';
import { ExitCode } from '../cli/ExitCode.js';
import { withSessions } from '../redis/openSessions.js';

/** The reason `lapse logout` gives its `deleted` events unless `--reason` says otherwise. */
export const LOGOUT_REASON = 'logout';

/** `lapse logout PRINCIPAL`: "log out everywhere", every session of one user. */
export const logoutCommand = defineCommand({
  name: 'logout',
  summary: 'delete every session of a user ("log out everywhere")',
  description:
    'Deletes every live session filed under the user in the principal index (repository.deleteByPrincipalName); ' +
    'listeners get one deleted event per session. Prints how many ended. A user without sessions is not an ' +
    'error (exit 0, "0 sessions").',
  options: {
    reason: { type: 'string', valueName: 'TEXT', description: `the deletion reason given to listeners (default: "${LOGOUT_REASON}")` },
  },
  positionals: [{ name: 'PRINCIPAL', required: true }],
  examples: [
    { command: 'lapse logout ada', what: 'end every session of ada' },
    { command: 'lapse logout ada --reason "password changed"', what: 'the same, with the reason listeners see' },
  ],
  async run({ values, positionals, output, env }) {
    const principal = positionals[0] ?? '';
    const ended = await withSessions(values, env, ({ repository }) =>
      repository.deleteByPrincipalName(principal, { reason: values.reason ?? LOGOUT_REASON }),
    );
    output.line(`logged out ${principal}: ${ended} session${ended === 1 ? '' : 's'} deleted`);
    return ExitCode.Ok;
  },
});
