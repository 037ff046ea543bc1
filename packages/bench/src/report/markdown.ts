import type { BenchConfig } from '../config.js';
import type { Environment } from '../environment.js';
import * as f from '../format.js';
import type { Measurements, TargetResult } from '../targets.js';
import { autoPipeliningTable, buildTables, cpuTable, renderMarkdown, repositoryFloorTable, targetsTable } from './tables.js';

export interface MarkdownInput {
  readonly config: BenchConfig;
  readonly env: Environment;
  readonly measurements: Measurements;
  readonly targets: readonly TargetResult[];
  readonly startedAt: Date;
  readonly durationMs: number;
  /** Load average (1 min) at the end of the run. */
  readonly loadAtEnd: number;
  /** Path of the chart relative to BENCHMARKS.md, or null when there is none. */
  readonly chart: string | null;
}

/** BENCHMARKS.md: the tables of one run, how each number was measured, and the chart. */
export function benchmarksMarkdown(input: MarkdownInput): string {
  const { config, env, measurements: m, targets } = input;
  const tables = buildTables(m, config);
  const byTitle = (prefix: string): string => {
    const table = tables.find((t) => t.title.startsWith(prefix));
    return table === undefined ? '_Not measured in this run._' : `${table.title}.\n\n${renderMarkdown(table)}`;
  };
  const cpu = cpuTable(m, config);
  const piped = autoPipeliningTable(m, config);
  const repositoryFloor = repositoryFloorTable(m, config);
  const passed = targets.filter((t) => t.pass === true).length;
  const failureNotes = Object.entries(m.failures).map(([stage, why]) => `- ${stage}: failed: ${why ?? ''}`);

  return `# Benchmarks

Written by \`pnpm bench\` (\`packages/bench\`) on ${input.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${config.quick ? ' as a **--quick** smoke run (small workloads; not the targets\' measurements)' : ''}; the whole run took ${f.duration(input.durationMs)}. Run it again with \`pnpm bench\` (about 18 minutes on 2 cores; \`node packages/bench/dist/main.js --quick\` for a short smoke run). Every number below comes from that one run; nothing is copied from elsewhere.

Machine: ${env.cores} × ${env.cpu}, ${env.memoryGiB} GiB, load average ${env.loadAtStart.toFixed(2)} when the run started and ${input.loadAtEnd.toFixed(2)} when it ended (the benchmark's own processes count too; other work on the machine would skew every number). Node ${env.node}; Redis ${env.redis} (${env.redisSource}, a fresh one for each measurement, no persistence); ioredis ${env.packages['ioredis'] ?? '?'}, node-redis ${env.packages['redis'] ?? '?'} and ${env.packages['redis6'] ?? '?'}, connect-redis ${env.packages['connect-redis'] ?? '?'}, express ${env.packages['express'] ?? '?'}, express-session ${env.packages['express-session'] ?? '?'}, autocannon ${env.packages['autocannon'] ?? '?'}; lapse at ${env.commit}.

## Targets

${passed} of ${targets.length} pass.

${renderMarkdown(targetsTable(targets))}
${failureNotes.length > 0 ? `\n${failureNotes.join('\n')}\n` : ''}
## 1. Session operations

${byTitle('Session operations')}

How: one fresh Redis (\`notify-keyspace-events Egx\`, as lapse's listener sets it) for every peer and client, each in its own namespace; for each operation and concurrency the peers take turns${config.ops.rounds > 1 ? ` ${config.ops.rounds} times for findById + delta save and ${config.ops.otherRounds} times for the other operations, the first of a round rotating` : ''}, each turn ${f.duration(config.ops.warmupMs)} of unmeasured warm-up and then ${f.duration(config.ops.durationMs)} of measurement${config.ops.rounds > 1 ? '; a cell shows the turn with the median throughput, and a ratio is the median of the ratios of turns run back to back (a slow stretch of this shared machine slows both turns of a pair, not one peer alone; deleteById: one turn, its sessions being used up)' : ''}. Concurrency N = N async loops in one Node process, each awaiting its operation before starting the next (the real Spring: N threads in its JVM); latency is per operation. Sessions hold three small attributes (user, csrf token, locale), time out after 30 minutes, and are picked at random among ${f.count(config.ops.poolSize)} per peer (lapse's saved through its repository, 1,000 saves in flight). Each deleteById cell gets fresh sessions, as many as the peer's findById rate could get through, plus a tenth for the warm-up. No listener or cleanup job runs.

- **lapse**: \`RedisIndexedSessionRepository\` (minute buckets, the default) on one client with default options, once per client: ioredis (the commands of a tick corked into shared socket writes, \`coalesceWrites\`), node-redis 5.9 (RESP2, its default), and in the second table node-redis 6.3 (RESP3, its default) and node-redis 5.9 with \`RESP: 3\`; the rows differ only by the client. Save (new or delta) = 1 EVALSHA (a delta save that keeps the bucket takes the lean touch script), findById = HGETALL of the hash (the bench's sessions are far from their deadline; within a minute of it, EXISTS of the shadow key follows), deleteById = 1 EVALSHA (it also records the end, with the session's data, in the event stream). Delta save = \`lastAccessedTime\` set to now and one attribute changed on a loaded session.
- **connect-redis**: connect-redis 10 \`RedisStore\` on one node-redis 5.9 client (its fastest client here; the second table has it on node-redis 6.3) with default options, storing what express-session stores (the cookie and the attributes) as JSON: save = \`set\` (SET … EX), findById = \`get\` (GET), deleteById = \`destroy\` (DEL), delta save = \`set\` of the whole session with one attribute changed.
- **Spring Session (Lettuce)**, the real Spring: Spring Session's \`RedisIndexedSessionRepository\` (the indexed repository, minute-based expiration store) in one long-lived JVM, \`packages/bench/spring-driver\` (Spring Boot 3.5.7; the bench builds it with \`mvn -o -q package\` when its jar is missing or older than its sources), on the \`LettuceConnectionFactory\` Spring Boot auto-configures (one shared connection, default options), the repository built as Spring Session's \`RedisIndexedHttpSessionConfiguration\` builds it, with \`GenericJackson2JsonRedisSerializer\` as \`springSessionDefaultRedisSerializer\` (the JSON serializer Spring Session's documentation gives; Spring's default is JDK serialization), no cleanup cron and no \`RedisMessageListenerContainer\` (no peer here runs a sweep or a listener). For each of its turns the bench asks the JVM over stdin/stdout to run the cell, and the driver measures it as the Node peers are measured: the same warm-up and measured time, concurrency N = N threads each waiting for its operation before starting the next, latency per operation, CPU of the JVM (every thread) and of Redis's main thread; the JVM stays up, so it stays warm, across turns. Its ${f.count(config.ops.poolSize)} sessions are made through the repository, then read and delta-saved once each (which also warms its JIT) before the first turn. Save new = \`createSession\`, the three attributes, \`save\` (the 7 commands of the sequence below); delta save = \`setLastAccessedTime(now)\`, one attribute, \`save\` on a loaded session; findById = \`findById\`; deleteById = \`deleteById\`; findById + delta save = both, as Spring's \`SessionRepositoryFilter\` does in a request.${m.ops?.springVersions === null || m.ops?.springVersions === undefined ? '' : ` This run: ${m.ops.springVersions}.`} The ÷ Spring ratios and the targets are against it.
- **Spring sequence (replayed on ioredis)**: the commands Spring Session's \`RedisIndexedSessionRepository\` sends (\`docs/spring-session.md\` §2.2–2.5), replayed on one ioredis connection one after another, each awaited and written on its own (as Lettuce, Spring's client, flushes each command by default), values as JSON: save new = HMSET, PUBLISH created, APPEND shadow, PEXPIRE shadow, PEXPIRE hash, PEXPIRE bucket, SADD bucket (7); delta save = HMSET, APPEND, PEXPIRE shadow, PEXPIRE hash, [SREM old bucket when the minute changed], PEXPIRE bucket, SADD bucket (6–7); findById = HGETALL (1); deleteById = HGETALL, HGETALL, SREM bucket, DEL shadow, HMSET maxInactiveInterval 0, DEL shadow, PEXPIRE hash, PEXPIRE bucket, SADD bucket (9).
- **findById + delta save** is one request as a web framework makes it: read the session, touch it, change one attribute, save it (lapse 2 round trips, connect-redis 2, Spring 7–8). The first four targets are on this row at concurrency 64.

${byTitle('lapse on the other clients')}
${cpu === null ? '' : `
${cpu.title}. At concurrency 64 every peer is limited by CPU (the client's and Redis's, on the same 2 cores), not by round trips, so this is what sets the ratios there:

${renderMarkdown(cpu)}
`}${piped === null ? '' : `
${piped.title}:

${renderMarkdown(piped)}
`}${repositoryFloor === null ? '' : `
${repositoryFloor.title}:

${renderMarkdown(repositoryFloor)}

The floor (\`packages/bench/src/peers/floor.ts\`) reads and writes sessions of lapse's node-redis peer in lapse's layout with no lapse code: HGETALL of the hash (liveness from its metadata), then one EVALSHA writing \`lastAccessedTime\`, the attribute and both TTLs while the shadow key exists. It leaves out moving a session to the next minute bucket, which a request needs once a minute per session at most. It takes its turns in the same rotation as the other peers.
`}
## 2. express-session request

${byTitle('express-session request through the Store API')}

${byTitle('CPU time per express-session request')}

How: one fresh Redis (\`notify-keyspace-events Egx\`), every peer in its own namespace with ${f.count(config.store.poolSize)} logged-in sessions (express-session's Cookie with a 30-minute \`maxAge\`, \`httpOnly\`, \`path\`; user, csrf token, locale: the same data for every peer), written through the peer's \`set\`. A request is what express-session (\`rolling: true\`, \`resave: false\`) does with the store: \`get\` (callback style), the session inflated by express-session's own \`createSession\`, \`req.session.touch()\` (the cookie's expiry renewed), then **get + set**: a new csrf token and \`set\`, or **get + touch**: nothing changed and \`touch\`. Loop w of concurrency c only uses sessions w, w + c, w + 2c…, so no session is in two requests at once. For each request kind and concurrency the peers take turns${config.store.rounds > 1 ? ` ${config.store.rounds} times, the first of a round rotating, each turn` : ', each'} ${f.duration(config.store.warmupMs)} of warm-up and ${f.duration(config.store.durationMs)} measured; a cell is the median turn, a ratio the median of the ratios of turns of the same round.

- **connect-redis 10** on node-redis 5.9 (default options, \`ttl\` from the cookie): get = GET, set = SET … EX, touch = EXPIRE.
- **LapseStore** (\`@lapse/express-session\`, the principal (\`user\`) indexed) on node-redis 5.9, and on ioredis.
- **floor**: the floor of lapse's layout, \`FloorStore\` in \`packages/bench/src/peers/floor.ts\` (the same write script as the operations floor): a store-shaped object on the same client with no lapse code: get = one HGETALL (the cookie's \`expires\` derived from \`lastAccessedTime\` + \`originalMaxAge\`), set and touch = one EVALSHA writing the fields that differ from what get read, \`lastAccessedTime\` and both TTLs (hash and shadow key) while the shadow key exists; no expiration index, principal index or events. LapseStore's targets are against the floor on the same client.

${byTitle('express app')}

How: express 5 + express-session (\`rolling: true\`, \`resave: false\`, \`saveUninitialized: false\`, 30-minute cookie) with connect-redis 10, LapseStore (principal indexed) or the floor of lapse's layout (\`FloorStore\`, as in the express-session request table above), all on node-redis 5.9, each in a server process of its own on one fresh Redis; autocannon in the bench process drives it over loopback with ${f.count(config.app.connections)} connections, each a user logged in beforehand (its own session cookie). The read route reads the session (express-session then touches it), the write route changes the csrf token (express-session then saves it). Per route the peers take turns${config.app.rounds > 1 ? ` ${config.app.rounds} times, the first rotating` : ''}: ${config.app.warmupSeconds} s of warm-up, then ${config.app.durationSeconds} s measured; the CPU per request is the server process's (\`process.cpuUsage\`) and Redis's main thread's.

## 3. Event lag

${byTitle('Event lag')}

![Event lag distribution](${input.chart ?? 'docs/event-lag.svg'})

How: three runs at the same time, each in its own process with its own fresh Redis, so that one mode's work cannot delay another's events. Each writes ${f.count(config.lag.live - config.lag.due)} long-lived sessions (timeout ${f.count(config.lag.longLivedInterval)} s, saved through the repository, 1,000 in flight), then saves ${f.count(config.lag.due)} sessions through the repository, timed so that their deadlines fall evenly over ${config.lag.windowMs / 1000} s. A session's deadline is what Redis holds for its shadow key (PEXPIRETIME); its lag is when its \`expired\` event reached the handler minus that deadline, on the same host clock. A session without an event within ${f.lag(config.lag.capMs)} of its deadline is missed; percentiles are over all due sessions, so one that falls among the missed reads "> ${f.lag(config.lag.capMs)}".

- **Redis untouched**: \`cleanupCron: null\`, nothing touches the keys; the row is the arrival of Redis's own \`__keyevent@0__:expired\` messages for the shadow keys (pub/sub), i.e. Redis's active expiry.${(() => {
    const untouched = m.lag?.find((r) => r.mode === 'untouched')?.outcome;
    return untouched?.listenerLags === undefined ? '' : ` A SessionEventListener on the same Redis received ${f.count(untouched.listenerLags.length)} of them within the cap.`;
  })()}
- **minute buckets**: the default index with \`cleanupCron: '${config.lag.bucketCron}'\`${config.quick ? ' (the --quick run sweeps every second instead of every minute)' : ' (Spring\'s schedule)'}; events through a \`SessionEventListener\`.
- **sorted set**: \`expirationIndex: 'sorted-set'\` with its deadline-driven sweeper (default \`maxSweepIntervalMs\` 1000); events through a \`SessionEventListener\`.

## 4. Sweep cost

${byTitle('Sweep cost')}

How: for each index, a fresh Redis with ${f.count(config.sweep.live - config.sweep.due)} sessions (timeouts spread over 10–30 minutes, saved through the repository, 1,000 in flight), then per round ${f.count(config.sweep.due)} more saved through the repository with a 1 s timeout; once every one is past its deadline, one \`cleanupExpiredSessions()\` is timed (no schedule or sweeper runs). The sweep touches each due shadow key and records the session's end, with its data, in the event stream. "touched" is what each call returned.

## 5. Memory per session

${byTitle('Redis memory')}

How: one fresh Redis; for each variant FLUSHALL, INFO \`used_memory\`, ${f.count(config.memory.sessions)} sessions with the same data written through the library (each library's default key names: \`sess:<id>\` for connect-redis, \`spring:session:…\` for lapse; 32-character ids for both), the writing connection closed, \`used_memory\` again; the difference divided by the number of sessions. lapse's share includes the hash, the shadow key and the session's entry in the expiration index. The target compares the plain rows (same attributes, no cookie).

${byTitle('Redis memory per logged-in express session')}

How: the same, with ${f.count(config.storeMemory.sessions)} logged-in express sessions (cookie, user, csrf token, locale) written through each store's \`set\` as express-session calls it: connect-redis 10 on node-redis 5.9, LapseStore (on ioredis: the layout does not depend on the client) with and without the principal index (indexed by the session's \`user\` attribute, \`principal: 'user'\`: the hash holds nothing more, the user's index set is added); default server settings (\`hash-max-listpack-value\` 64). "hash encoding" is OBJECT ENCODING of one session's hash.

## Exit codes

\`0\` every target passes; \`1\` at least one misses; \`2\` the command line is wrong; \`3\` a measurement could not run (its targets read "not measured").
`;
}
