import { defineCommand } from '../cli/CommandSpec.js';
import { ExitCode } from '../cli/ExitCode.js';
import { parseCount } from '../format/parseCount.js';
import { withSessions } from '../redis/openSessions.js';
import { collectNamespaceStats } from '../stats/collectNamespaceStats.js';
import { repairNamespace, type Repair } from '../stats/repairNamespace.js';
import { renderStats } from '../stats/renderStats.js';
import type { NamespaceStats } from '../stats/NamespaceStats.js';

/** Minutes ahead the histogram shows one by one, unless `--minutes` says otherwise. */
export const DEFAULT_HISTOGRAM_MINUTES = 10;

/** `lapse stats`: session counts, expiries per minute ahead, and what would lose events. */
export const statsCommand = defineCommand({
  name: 'stats',
  summary: 'session counts, expiries per minute ahead, and what would lose events (--fix)',
  description:
    'Counts live and ended sessions, shows how many expire in each minute ahead (from the expiration buckets), ' +
    'and checks what would lose or delay session events: notify-keyspace-events lacking E, g or x, buckets without ' +
    'a TTL or missing from the bucket registry, buckets nobody swept, and principal-index entries of sessions that ' +
    'are gone. Exits 1 when it finds a problem. With --fix it repairs all of these (each repair is atomic and ' +
    'never touches a live session), then checks again and exits 0 only if nothing is left.',
  options: {
    fix: { type: 'boolean', description: 'repair what can be repaired safely, then check again' },
    minutes: { type: 'string', valueName: 'N', description: `how many minutes ahead to show one by one (default: ${DEFAULT_HISTOGRAM_MINUTES})` },
    json: { type: 'boolean', description: 'print a JSON object instead of text' },
  },
  positionals: [],
  examples: [
    { command: 'lapse stats', what: 'the state of spring:session on $REDIS_URL (or localhost)' },
    { command: 'lapse stats --fix', what: 'the same, repairing what would lose events' },
    { command: 'lapse stats --json | jq .problems', what: 'only the problems, as JSON' },
  ],
  async run({ values, output, env }) {
    const minutes = values.minutes === undefined ? DEFAULT_HISTOGRAM_MINUTES : parseCount(values.minutes, '--minutes');
    const { stats, repairs } = await withSessions(values, env, async ({ repository, target }) => {
      const collect = (): Promise<NamespaceStats> =>
        collectNamespaceStats(repository, { minutes, redis: target.shown, onProgress: (what) => output.status(what) });
      const before = await collect();
      if (!values.fix || before.problems.length === 0) return { stats: before, repairs: [] as Repair[] };
      output.status('repairing…');
      const done = await repairNamespace(repository, before.problems);
      return { stats: await collect(), repairs: done };
    });
    output.clearStatus();
    if (values.json) {
      output.line(JSON.stringify(values.fix ? { ...stats, repairs } : stats, null, 2));
    } else {
      for (const repair of repairs) output.line(`fixed: ${repair.done}`);
      if (repairs.length > 0) output.line('');
      renderStats(stats, output);
    }
    return stats.problems.length === 0 ? ExitCode.Ok : ExitCode.Problems;
  },
});
