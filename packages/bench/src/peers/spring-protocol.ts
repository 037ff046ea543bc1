import type { TurnResult } from '../measure/cell.js';
import type { RemoteCell } from './OpsPeer.js';

/**
 * The line protocol of the real Spring's driver (`packages/bench/spring-driver`, see its
 * `SpringDriver.java`): one JSON object per line each way. Pure code, no process.
 */

export type DriverRequest =
  | { readonly cmd: 'prepare'; readonly sessions: number }
  | ({ readonly cmd: 'cell' } & RemoteCell)
  | { readonly cmd: 'quit' };

/** The versions the driver runs on (its first line). */
export interface DriverVersions {
  readonly springBoot: string;
  readonly springSession: string;
  readonly springDataRedis: string;
  readonly lettuce: string;
  readonly java: string;
}

export type DriverReply =
  | { readonly kind: 'ready'; readonly versions: DriverVersions }
  | { readonly kind: 'done' }
  | { readonly kind: 'turn'; readonly turn: TurnResult }
  | { readonly kind: 'error'; readonly error: string };

export class DriverProtocolError extends Error {
  override readonly name = 'DriverProtocolError';
}

export function driverRequestLine(request: DriverRequest): string {
  return `${JSON.stringify(request)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number of the reply; Jackson writes NaN (no latency sample) as the string "NaN". */
function numberField(object: Record<string, unknown>, field: string, line: string): number {
  const value = object[field];
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  throw new DriverProtocolError(`Spring driver: "${field}" is not a number in ${line}`);
}

function stringField(object: Record<string, unknown>, field: string, line: string): string {
  const value = object[field];
  if (typeof value !== 'string') throw new DriverProtocolError(`Spring driver: "${field}" is not a string in ${line}`);
  return value;
}

/** Parses one line of the driver's stdout; throws {@link DriverProtocolError} on anything else. */
export function parseDriverReply(line: string): DriverReply {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new DriverProtocolError(`Spring driver: not a JSON line: ${line.slice(0, 200)}`);
  }
  if (!isRecord(parsed) || typeof parsed['ok'] !== 'boolean') throw new DriverProtocolError(`Spring driver: no "ok" in ${line.slice(0, 200)}`);
  if (parsed['ok'] === false) return { kind: 'error', error: typeof parsed['error'] === 'string' ? parsed['error'] : 'unknown error' };
  if (parsed['ready'] === true) {
    const versions = parsed['versions'];
    if (!isRecord(versions)) throw new DriverProtocolError(`Spring driver: no "versions" in ${line}`);
    const field = (name: keyof DriverVersions): string => stringField(versions, name, line);
    return { kind: 'ready', versions: { springBoot: field('springBoot'), springSession: field('springSession'), springDataRedis: field('springDataRedis'), lettuce: field('lettuce'), java: field('java') } };
  }
  const turn = parsed['turn'];
  if (turn === undefined) return { kind: 'done' };
  if (!isRecord(turn)) throw new DriverProtocolError(`Spring driver: "turn" is not an object in ${line}`);
  const exhausted = turn['exhausted'];
  if (typeof exhausted !== 'boolean') throw new DriverProtocolError(`Spring driver: "exhausted" is not a boolean in ${line}`);
  const n = (field: string): number => numberField(turn, field, line);
  return {
    kind: 'turn',
    turn: {
      ops: n('ops'),
      seconds: n('seconds'),
      perSecond: n('perSecond'),
      p50: n('p50'),
      p99: n('p99'),
      max: n('max'),
      exhausted,
      // The JVM's CPU stands where a Node peer's process CPU does.
      nodeCpuUs: n('clientCpuUs'),
      redisCpuUs: n('redisCpuUs'),
    },
  };
}

/** "Spring Boot 3.5.7 (Spring Session 3.5.3, Spring Data Redis 3.5.5, Lettuce 6.6.0), Java 17.0.15". */
export function versionsText(v: DriverVersions): string {
  const lettuce = v.lettuce.replace(/\.RELEASE.*$|\/.*$/, '');
  return `Spring Boot ${v.springBoot} (Spring Session ${v.springSession}, Spring Data Redis ${v.springDataRedis}, Lettuce ${lettuce}), Java ${v.java}`;
}
