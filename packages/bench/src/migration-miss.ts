/**
 * What LapseStore's `migrateFrom` (the lookup of connect-redis's key on a miss) costs: `get` of
 * ids nobody stored, one at a time, on the default store (lookup on) and on `migrateFrom: false`,
 * taking turns on one fresh Redis, per client. Prints µs per `get` (median of the turns).
 * `node packages/bench/dist/migration-miss.js` (after `pnpm build`).
 */
import { LapseStore } from '@lapse/express-session';
import { randomUUID } from 'node:crypto';
import { CLIENT_LABELS, openClient, type ClientKind } from './clients.js';
import { freshRedis } from './redis.js';

const GETS_PER_TURN = 4000;
const TURNS = 7;

/** µs per `get` of an unknown id, `count` in a row. */
async function missMicros(store: LapseStore, count: number): Promise<number> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const started = process.hrtime.bigint();
  for (const id of ids) {
    if ((await store.get(id)) !== null) throw new Error(`unknown id ${id} was found`);
  }
  return Number(process.hrtime.bigint() - started) / 1000 / count;
}

const median = (values: number[]): number => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  const redis = await freshRedis();
  try {
    console.log(`get of an unknown id, one at a time, ${TURNS} turns of ${GETS_PER_TURN} each, median µs per get`);
    for (const kind of ['ioredis', 'node-redis'] as const satisfies readonly ClientKind[]) {
      const open = await openClient(kind, redis.handle.url);
      const on = new LapseStore({ client: open.client, prefix: 'bench:miss-on:', repositoryOptions: { cleanupCron: null } });
      const off = new LapseStore({ client: open.client, prefix: 'bench:miss-off:', migrateFrom: false, repositoryOptions: { cleanupCron: null } });
      try {
        await missMicros(on, 1000);
        await missMicros(off, 1000);
        const with_: number[] = [];
        const without: number[] = [];
        for (let turn = 0; turn < TURNS; turn++) {
          // Taking turns, the first of each turn alternating.
          if (turn % 2 === 0) {
            with_.push(await missMicros(on, GETS_PER_TURN));
            without.push(await missMicros(off, GETS_PER_TURN));
          } else {
            without.push(await missMicros(off, GETS_PER_TURN));
            with_.push(await missMicros(on, GETS_PER_TURN));
          }
        }
        const [a, b] = [median(with_), median(without)];
        console.log(`${CLIENT_LABELS[kind]}: migrateFrom on ${a.toFixed(1)} µs, off ${b.toFixed(1)} µs (+${(a - b).toFixed(1)} µs, ${(a / b).toFixed(2)}×)`);
      } finally {
        await on.close();
        await off.close();
        await open.close();
      }
    }
  } finally {
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
