import type { Output, Style } from '../cli/Output.js';
import type { Finding } from './Finding.js';

const LABEL: Readonly<Record<Finding['status'], [string, Style]>> = {
  ok: ['ok', 'green'],
  warn: ['warn', 'yellow'],
  fail: ['FAIL', 'red'],
};

/** Counts of the findings that are not ok. */
export function tally(findings: readonly Finding[]): { problems: number; warnings: number } {
  return {
    problems: findings.filter((f) => f.status === 'fail').length,
    warnings: findings.filter((f) => f.status === 'warn').length,
  };
}

/** One line per finding (`ok    server    Redis 7.2.4, standalone`), its fix below, then the tally. */
export function renderFindings(findings: readonly Finding[], output: Output): void {
  const width = Math.max(...findings.map((f) => f.area.length)) + 2;
  for (const f of findings) {
    const [word, style] = LABEL[f.status];
    output.line(`${output.paint(style, word.padEnd(6))}${f.area.padEnd(width)}${f.message}`);
    if (f.fix !== undefined && f.status !== 'ok') output.line(`${' '.repeat(6 + width)}fix: ${f.fix}`);
  }
  const { problems, warnings } = tally(findings);
  output.line('');
  const text = `${problems} problem${problems === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  output.line(problems > 0 ? output.paint('red', text) : warnings > 0 ? output.paint('yellow', text) : output.paint('green', text));
}
