import type { Output } from '../cli/Output.js';
import { clockTime, isoTime } from '../format/clockTime.js';
import { histogramBar } from '../format/histogram.js';
import type { NamespaceStats } from './NamespaceStats.js';

/** The text report of `lapse stats`. */
export function renderStats(stats: NamespaceStats, output: Output): void {
  const { sessions, principals, keyspaceEvents, expiring } = stats;
  output.line(`namespace       ${stats.namespace} (${stats.redis}, database ${stats.database})`);
  output.line(`sessions        ${sessions.live} live, ${sessions.ended} ended (data kept for late events)`);
  output.line(`principals      ${principals.users} users, ${principals.entries} index entries`);
  const events =
    keyspaceEvents.value === null
      ? "unknown: CONFIG GET is not allowed ('lapse doctor' probes whether events arrive)"
      : keyspaceEvents.missing.length === 0
        ? `notify-keyspace-events "${keyspaceEvents.value}" (E, g and x: ok)`
        : output.paint('red', `notify-keyspace-events "${keyspaceEvents.value}" (missing ${keyspaceEvents.missing.join(', ')})`);
  output.line(`keyspace events ${events}`);
  output.line('');
  output.line(`expiring per minute (Redis time ${isoTime(stats.now)})`);
  const rows: [string, number][] = [
    ['overdue', expiring.overdue],
    ['due now', expiring.dueNow],
    ...expiring.minutes.map((m): [string, number] => [`before ${clockTime(m.before)}`, m.sessions]),
    ['later', expiring.later],
  ];
  const max = Math.max(...rows.map(([, n]) => n));
  const width = Math.max(...rows.map(([, n]) => String(n).length));
  for (const [label, count] of rows) {
    const bar = histogramBar(count, max);
    output.line(`  ${label.padEnd(14)}${String(count).padStart(width)}${bar === '' ? '' : `  ${output.paint('cyan', bar)}`}`);
  }
  output.line('');
  if (stats.problems.length === 0) {
    output.line(output.paint('green', 'no problems found'));
    return;
  }
  output.line(output.paint('red', `problems (${stats.problems.length})`));
  for (const problem of stats.problems) {
    output.line(`  - ${problem.message}`);
    output.line(`    fix: ${problem.fix}`);
  }
}
