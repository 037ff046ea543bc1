import type { BenchConfig } from '../config.js';
import * as f from '../format.js';
import { APP_PEER_LABELS, APP_PEERS, APP_ROUTES, type AppCell } from '../measure/express-app.js';
import { STORE_MEMORY_LABELS } from '../measure/store-memory.js';
import { STORE_OPS, type StoreCell, type StoreResult } from '../measure/store-requests.js';
import { STORE_PEER_LABELS, STORE_PEERS, type StorePeerName } from '../stores/store-peers.js';
import { pairedRatio, type Measurements } from '../targets.js';
import { opsCell, type Table } from './tables.js';

function storeCell(store: StoreResult, peer: StorePeerName, op: StoreCell['op'], concurrency: number): StoreCell | undefined {
  return store.cells.find((c) => c.peer === peer && c.op === op && c.concurrency === concurrency);
}

function ratio(a: { turnRates: readonly number[]; perSecond: number } | undefined, b: { turnRates: readonly number[]; perSecond: number } | undefined): string {
  return a === undefined || b === undefined ? 'n/a' : f.ratio(pairedRatio(a, b));
}

const cpuText = (c: { nodeCpuUs: number; redisCpuUs: number } | undefined): string => (c === undefined ? 'n/a' : `${c.nodeCpuUs.toFixed(0)} + ${c.redisCpuUs.toFixed(0)}`);

const APP_CPU_LABELS: Readonly<Record<AppCell['peer'], string>> = {
  'connect-redis': 'connect-redis',
  'lapse-store': 'LapseStore',
  'lapse-store-lazy': 'touchAfter 60',
  floor: 'floor',
};

/** The express-session request section: throughput, CPU per request, the express app, memory. */
export function storeTables(m: Measurements, config: BenchConfig): Table[] {
  const tables: Table[] = [];
  const store = m.store;
  if (store !== null) {
    const rows: string[][] = [];
    const cpuRows: string[][] = [];
    for (const { name: op, label } of STORE_OPS) {
      for (const concurrency of config.store.concurrencies) {
        const at = (peer: StorePeerName): StoreCell | undefined => storeCell(store, peer, op, concurrency);
        rows.push([
          label,
          String(concurrency),
          ...STORE_PEERS.map((peer) => opsCell(at(peer))),
          ratio(at('lapse-store:node-redis'), at('connect-redis')),
          ratio(at('lapse-store:node-redis'), at('floor:node-redis')),
          ratio(at('lapse-store:ioredis'), at('floor:ioredis')),
          ratio(at('floor:node-redis'), at('connect-redis')),
        ]);
        cpuRows.push([label, String(concurrency), ...STORE_PEERS.map((peer) => cpuText(at(peer)))]);
      }
    }
    const notes = STORE_PEERS.flatMap((peer) => (store.unavailable[peer] === undefined ? [] : [`n/a: ${STORE_PEER_LABELS[peer]} did not run: ${store.unavailable[peer] ?? ''}`]));
    tables.push({
      title: 'express-session request through the Store API (logged-in session: cookie, user, csrf token, locale): requests/s · latency p50/p99 in ms',
      headers: ['request', 'conc.', ...STORE_PEERS.map((peer) => STORE_PEER_LABELS[peer]), 'LapseStore nr ÷ CR', 'LapseStore nr ÷ floor', 'LapseStore io ÷ floor', 'floor nr ÷ CR'],
      align: 'lr' + 'r'.repeat(STORE_PEERS.length + 4),
      rows,
      notes,
    });
    tables.push({
      title: 'CPU time per express-session request, µs: this Node process (the store and its client; process.cpuUsage) + Redis\'s main thread (INFO cpu)',
      headers: ['request', 'conc.', ...STORE_PEERS.map((peer) => STORE_PEER_LABELS[peer])],
      align: 'lr' + 'r'.repeat(STORE_PEERS.length),
      rows: cpuRows,
      notes: [],
    });
  }

  const app = m.app;
  if (app !== null) {
    const at = (peer: AppCell['peer'], route: AppCell['route']): AppCell | undefined => app.cells.find((c) => c.peer === peer && c.route === route);
    const latency = (c: AppCell | undefined): string => (c === undefined ? 'n/a' : `${f.rate(c.perSecond)} · ${c.p50}/${c.p99}`);
    tables.push({
      title: `express app (express 5 + express-session, rolling, resave: false), ${app.connections} logged-in autocannon connections over loopback: requests/s · latency p50/p99 in ms; CPU µs per request: the server process + Redis`,
      headers: [
        'express app',
        ...APP_PEERS.map((peer) => APP_PEER_LABELS[peer]),
        'LapseStore ÷ CR',
        'touchAfter 60 ÷ CR',
        'LapseStore ÷ floor',
        'floor ÷ CR',
        ...APP_PEERS.map((peer) => `CPU, ${APP_CPU_LABELS[peer]}`),
      ],
      align: `l${'r'.repeat(APP_PEERS.length * 2 + 4)}`,
      rows: APP_ROUTES.map(({ name, label }) => [
        label,
        ...APP_PEERS.map((peer) => latency(at(peer, name))),
        ratio(at('lapse-store', name), at('connect-redis', name)),
        ratio(at('lapse-store-lazy', name), at('connect-redis', name)),
        ratio(at('lapse-store', name), at('floor', name)),
        ratio(at('floor', name), at('connect-redis', name)),
        ...APP_PEERS.map((peer) => cpuText(at(peer, name))),
      ]),
      notes: [],
    });
  }

  return tables;
}

/** Memory per logged-in express session, LapseStore against connect-redis. */
export function storeMemoryTable(m: Measurements): Table | null {
  const memory = m.storeMemory;
  if (memory !== null) {
    const base = memory.find((r) => r.variant === 'connect-redis');
    return {
      title: 'Redis memory per logged-in express session (INFO used_memory delta ÷ sessions), written through each store\'s set',
      headers: ['express session memory', 'sessions', 'per session', '÷ connect-redis', 'MEMORY USAGE of one (B)', 'hash encoding'],
      align: 'lrrrll',
      rows: memory.map((row) => [
        STORE_MEMORY_LABELS[row.variant],
        f.count(row.sessions),
        f.bytes(row.bytesPerSession),
        base === undefined ? 'n/a' : f.ratio(row.bytesPerSession / base.bytesPerSession),
        Object.entries(row.sample).map(([k, v]) => `${k} ${f.count(v)}`).join(', '),
        row.encoding ?? '',
      ]),
      notes: [],
    };
  }
  return null;
}
