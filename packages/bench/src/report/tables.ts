import type { BenchConfig } from '../config.js';
import { CLIENT_LABELS } from '../clients.js';
import * as f from '../format.js';
import { lagSummary } from '../lag-summary.js';
import type { LagMode } from '../measure/lag-protocol.js';
import { CLIENT_PEERS, OPERATIONS, PEERS, type CellResult, type OpsResult } from '../measure/ops.js';
import { PEER_LABELS, type PeerName } from '../peers/OpsPeer.js';
import { storeMemoryTable, storeTables } from './store-tables.js';
import { indexLabel } from '../lapse-modes.js';
import { median } from '../stats.js';
import { cell, pairedRatio, resultWord, type Measurements, type TargetResult } from '../targets.js';

/** A table of the report, rendered as text for the terminal and as Markdown for BENCHMARKS.md. */
export interface Table {
  readonly title: string;
  readonly headers: readonly string[];
  /** Column alignment: `l` or `r`. */
  readonly align: string;
  readonly rows: readonly (readonly string[])[];
  readonly notes: readonly string[];
}

export function opsCell(c: Pick<CellResult, 'perSecond' | 'exhausted' | 'p50' | 'p99'> | undefined): string {
  if (c === undefined) return 'n/a';
  const latency = (v: number): string => (v < 10 ? v.toFixed(2) : v.toFixed(1));
  return `${f.rate(c.perSecond)}${c.exhausted ? '*' : ''} · ${latency(c.p50)}/${latency(c.p99)}`;
}

export const LAG_LABELS: Readonly<Record<LagMode, string>> = {
  untouched: 'Redis untouched (no sweep)',
  'minute-buckets': 'minute buckets (Spring\'s design)',
  'sorted-set': 'sorted set + deadline sweeper',
};

export function buildTables(m: Measurements, config: BenchConfig): Table[] {
  const tables: Table[] = [];
  if (m.ops !== null) {
    const ops = m.ops;
    const rows: string[][] = [];
    let exhausted = false;
    for (const { name, label } of OPERATIONS) {
      for (const concurrency of config.ops.concurrencies) {
        const cells = PEERS.map((peer) => cell(ops, peer, name, concurrency));
        exhausted ||= cells.some((c) => c?.exhausted === true);
        const [io, nr, cr, spring] = cells;
        rows.push([label, String(concurrency), ...cells.map(opsCell), ratioText(io, cr), ratioText(nr, cr), ratioText(io, spring), ratioText(nr, spring)]);
      }
    }
    tables.push({
      title: 'Session operations: ops/s · latency p50/p99 in ms',
      headers: ['operation', 'conc.', `lapse (${CLIENT_LABELS.ioredis})`, 'lapse (node-redis 5.9)', 'connect-redis', PEER_LABELS.spring, PEER_LABELS['spring-sequence'], 'io ÷ CR', 'nr ÷ CR', 'io ÷ Spring', 'nr ÷ Spring'],
      align: 'lrrrrrrrrrr',
      rows,
      notes: [
        ...(exhausted ? ['* the sessions prepared for deleteById ran out before the time was up; the rate is over the time it ran'] : []),
        ...(ops.springVersions === null ? [] : [`${PEER_LABELS.spring}: ${ops.springVersions}; ÷ Spring is against it, not the replayed sequence.`]),
        ...unavailableNotes(ops, PEERS),
      ],
    });
    tables.push(clientsTable(ops, config));
  }

  if (m.lag !== null) {
    const rows: string[][] = [];
    for (const result of m.lag) {
      const label = LAG_LABELS[result.mode];
      if (result.outcome === null) {
        rows.push([label, 'failed', '', '', '', result.failure ?? '']);
        continue;
      }
      const s = lagSummary(result.outcome);
      rows.push([label, `${f.count(s.received)}/${f.count(result.outcome.due)}`, s.p50Text, s.p99Text, s.maxText, f.count(s.missed)]);
    }
    tables.push({
      title: `Event lag, deadline → event received: ${f.count(config.lag.live)} live sessions, ${f.count(config.lag.due)} due over ${config.lag.windowMs / 1000} s (missed: no event within ${f.lag(config.lag.capMs)})`,
      headers: ['event lag', 'received', 'p50', 'p99', 'max', 'missed'],
      align: 'lrrrrr',
      rows,
      notes: [],
    });
  }

  if (m.sweep !== null) {
    tables.push({
      title: 'Sweep cost: one cleanupExpiredSessions() call once the due sessions are past their deadline',
      headers: ['sweep', 'live', 'due', 'touched', 'median', 'slowest', 'rounds'],
      align: 'lrrrrrr',
      rows: m.sweep.map((r) => [
        `sweep, ${indexLabel(r.kind)}`,
        f.count(r.live),
        f.count(r.due),
        r.rounds.map((x) => f.count(x.touched)).join(', '),
        f.ms(median(r.rounds.map((x) => x.ms))),
        f.ms(Math.max(...r.rounds.map((x) => x.ms))),
        String(r.rounds.length),
      ]),
      notes: [],
    });
  }

  tables.splice(m.ops === null ? 0 : 2, 0, ...storeTables(m, config));

  if (m.memory !== null) {
    const rows = m.memory.map((row) => {
      const base = m.memory?.find((r) => r.variant === 'connect-redis' && r.cookie === row.cookie);
      const ratio = base === undefined || base === row ? '1.00×' : f.ratio(row.bytesPerSession / base.bytesPerSession);
      const sample = Object.entries(row.sample).map(([k, v]) => `${k} ${f.count(v)}`).join(', ');
      return [`memory, ${row.label}`, f.count(row.sessions), f.bytes(row.bytesPerSession), ratio, sample];
    });
    tables.push({
      title: 'Redis memory per session (INFO used_memory delta ÷ sessions): user, csrf, locale attributes; "+ cookie" adds express-session\'s cookie',
      headers: ['memory', 'sessions', 'per session', '÷ connect-redis', 'MEMORY USAGE of one (B)'],
      align: 'lrrrl',
      rows,
      notes: [],
    });
  }
  const expressMemory = storeMemoryTable(m);
  if (expressMemory !== null) tables.push(expressMemory);
  return tables;
}

function ratioText(a: CellResult | undefined, b: CellResult | undefined): string {
  return a === undefined || b === undefined ? 'n/a' : f.ratio(pairedRatio(a, b));
}

function unavailableNotes(ops: OpsResult, peers: readonly PeerName[]): string[] {
  return peers.flatMap((peer) => (ops.unavailable[peer] === undefined ? [] : [`n/a: ${PEER_LABELS[peer]} did not run: ${ops.unavailable[peer] ?? ''}`]));
}

/** lapse on the other clients (node-redis 6.3, node-redis 5.9 RESP3) and connect-redis on node-redis 6.3. */
function clientsTable(ops: OpsResult, config: BenchConfig): Table {
  const rows: string[][] = [];
  for (const { name, label } of OPERATIONS) {
    for (const concurrency of config.ops.concurrencies) {
      const at = (peer: PeerName): CellResult | undefined => cell(ops, peer, name, concurrency);
      const nr = at('lapse:node-redis');
      const nr6 = at('lapse:node-redis-6');
      const resp3 = at('lapse:node-redis-resp3');
      rows.push([label, String(concurrency), opsCell(nr6), ratioText(nr6, nr), opsCell(resp3), ratioText(resp3, nr), opsCell(at('connect-redis-6')), ratioText(at('connect-redis-6'), at('connect-redis'))]);
    }
  }
  return {
    title: 'lapse on the other clients, and connect-redis on node-redis 6.3 (its default RESP3): ops/s · latency p50/p99 in ms; ÷ the same peer on node-redis 5.9 (RESP2)',
    headers: ['operation', 'conc.', 'lapse (node-redis 6.3)', '÷ 5.9', 'lapse (node-redis 5.9 RESP3)', '÷ RESP2', 'connect-redis (node-redis 6.3)', '÷ 5.9'],
    align: 'lrrrrrrr',
    rows,
    notes: [...resp3Notes(ops, config), ...unavailableNotes(ops, CLIENT_PEERS)],
  };
}

/** What RESP3 costs or saves, in one line per measured comparison (median of paired turns). */
function resp3Notes(ops: OpsResult, config: BenchConfig): string[] {
  const concurrency = Math.max(...config.ops.concurrencies);
  const parts = (a: PeerName, b: PeerName): string[] =>
    OPERATIONS.flatMap(({ name, label }) => {
      const x = cell(ops, a, name, concurrency);
      const y = cell(ops, b, name, concurrency);
      return x === undefined || y === undefined ? [] : [`${label} ${f.ratio(pairedRatio(x, y))}`];
    });
  const lines: string[] = [];
  const resp3 = parts('lapse:node-redis-resp3', 'lapse:node-redis');
  if (resp3.length > 0) lines.push(`RESP3 on node-redis 5.9, lapse ÷ the same on RESP2, concurrency ${concurrency}: ${resp3.join(', ')} (below 1×: RESP3 costs; above: it saves).`);
  const v6 = parts('lapse:node-redis-6', 'lapse:node-redis');
  if (v6.length > 0) lines.push(`node-redis 6.3 (RESP3) ÷ 5.9 (RESP2), lapse, concurrency ${concurrency}: ${v6.join(', ')}.`);
  const cr6 = parts('connect-redis-6', 'connect-redis');
  if (cr6.length > 0) lines.push(`node-redis 6.3 (RESP3) ÷ 5.9 (RESP2), connect-redis, concurrency ${concurrency}: ${cr6.join(', ')}.`);
  return lines;
}

export function targetsTable(targets: readonly TargetResult[]): Table {
  return {
    title: 'Targets',
    headers: ['target', 'goal', 'measured', 'result'],
    align: 'llll',
    rows: targets.map((t) => [t.name, t.target, t.measured, resultWord(t.pass)]),
    notes: [],
  };
}

function widthOf(text: string): number {
  return [...text].length;
}

/** Plain text: columns two spaces apart, a dashed rule under the header. */
export function renderText(table: Table): string {
  const widths = table.headers.map((h, i) => Math.max(widthOf(h), ...table.rows.map((r) => widthOf(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - widthOf(c)));
        return table.align[i] === 'r' ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [
    table.title,
    line(table.headers),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...table.rows.map(line),
    ...table.notes,
  ].join('\n');
}

export function renderMarkdown(table: Table): string {
  const escape = (c: string): string => c.replace(/[|*]/g, '\\$&');
  return [
    `| ${table.headers.map(escape).join(' | ')} |`,
    `|${[...table.align].map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`,
    ...table.rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
    ...(table.notes.length > 0 ? ['', ...table.notes.map(escape)] : []),
  ].join('\n');
}

/** CPU per operation at the highest concurrency: where the time goes (BENCHMARKS.md only). */
export function cpuTable(m: Measurements, config: BenchConfig): Table | null {
  const ops = m.ops;
  if (ops === null) return null;
  const concurrency = Math.max(...config.ops.concurrencies);
  const text = (c: CellResult | undefined): string => (c === undefined ? 'n/a' : `${c.nodeCpuUs.toFixed(0)} + ${c.redisCpuUs.toFixed(0)}`);
  return {
    title: `CPU time per operation at concurrency ${concurrency}, µs: the client's process (this Node process, process.cpuUsage; for Spring Session its JVM, every thread) + Redis's main thread (INFO cpu, commands and network I/O)`,
    headers: ['operation', ...[...PEERS, ...CLIENT_PEERS].map((peer) => PEER_LABELS[peer])],
    align: 'l' + 'r'.repeat(PEERS.length + CLIENT_PEERS.length),
    rows: OPERATIONS.map(({ name, label }) => [label, ...[...PEERS, ...CLIENT_PEERS].map((peer) => text(cell(ops, peer, name, concurrency)))]),
    notes: [],
  };
}

/** lapse on an auto-pipelining ioredis connection, at the highest concurrency (BENCHMARKS.md only). */
export function autoPipeliningTable(m: Measurements, config: BenchConfig): Table | null {
  const ops = m.ops;
  if (ops === null) return null;
  const concurrency = Math.max(...config.ops.concurrencies);
  const rows = OPERATIONS.map(({ name, label }) => {
    const plain = cell(ops, 'lapse:ioredis', name, concurrency);
    const piped = cell(ops, 'lapse-autopipelining', name, concurrency);
    const cr = cell(ops, 'connect-redis', name, concurrency);
    const ratio = (a: CellResult | undefined, b: CellResult | undefined): string => (a === undefined || b === undefined ? 'n/a' : f.ratio(pairedRatio(a, b)));
    return [label, opsCell(plain), opsCell(piped), ratio(piped, plain), ratio(piped, cr), piped === undefined ? 'n/a' : `${piped.nodeCpuUs.toFixed(0)} + ${piped.redisCpuUs.toFixed(0)}`];
  });
  if (rows.every((r) => r[2] === 'n/a')) return null;
  return {
    title: `lapse with ioredis's \`enableAutoPipelining: true\` (commands of the same tick sent in one write, as node-redis always does), concurrency ${concurrency}; not used for the targets`,
    headers: ['operation', `lapse (${CLIENT_LABELS.ioredis})`, 'lapse, auto-pipelining', '÷ lapse', '÷ connect-redis', 'CPU µs/op'],
    align: 'lrrrrr',
    rows,
    notes: [],
  };
}

/** findById + delta save of lapse on node-redis against the floor of its layout and the real Spring (BENCHMARKS.md only). */
export function repositoryFloorTable(m: Measurements, config: BenchConfig): Table | null {
  const ops = m.ops;
  if (ops === null) return null;
  const ratio = (a: CellResult | undefined, b: CellResult | undefined): string => (a === undefined || b === undefined ? 'n/a' : f.ratio(pairedRatio(a, b)));
  const cpu = (c: CellResult | undefined): string => (c === undefined ? 'n/a' : `${c.nodeCpuUs.toFixed(0)} + ${c.redisCpuUs.toFixed(0)}`);
  const rows = config.ops.concurrencies.map((concurrency) => {
    const lapse = cell(ops, 'lapse:node-redis', 'request', concurrency);
    const floor = cell(ops, 'floor', 'request', concurrency);
    const spring = cell(ops, 'spring', 'request', concurrency);
    return [String(concurrency), opsCell(lapse), opsCell(floor), ratio(lapse, floor), ratio(floor, spring), ratio(lapse, spring), cpu(lapse), cpu(floor)];
  });
  if (rows.every((r) => r[2] === 'n/a')) return null;
  return {
    title: `findById + delta save, lapse against the floor of its layout (the same two commands, no lapse code), both on ${CLIENT_LABELS['node-redis']}: ops/s · latency p50/p99 in ms; CPU µs per request (Node + Redis)`,
    headers: ['conc.', `lapse (${CLIENT_LABELS['node-redis']})`, PEER_LABELS.floor, 'lapse ÷ floor', 'floor ÷ Spring', 'lapse ÷ Spring', 'CPU, lapse', 'CPU, floor'],
    align: 'rrrrrrrr',
    rows,
    notes: [],
  };
}
