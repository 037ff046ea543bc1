// A capturing ScriptRunner, and readers of what a script module sent, by the script's declared names.
import { expect } from 'vitest';
import type { CommandArgument, RedisReply } from '../../../src/redis/clients/RedisConnection.js';
import type { AnyScript, DefinedScript, LuaScript, ReplyOf, ScriptRunner } from '../../../src/redis/LuaScript.js';

/** One call a script module made. */
export interface ScriptCall {
  readonly script: LuaScript;
  readonly keys: readonly string[];
  readonly args: readonly CommandArgument[];
  readonly sessionId: string | undefined;
}

/** A runner that records each call and answers `reply` (parsed by the script, as the repository's runner does), without Redis. */
export function capturing(reply: RedisReply = 1): { run: ScriptRunner; calls: ScriptCall[] } {
  const calls: ScriptCall[] = [];
  const run: ScriptRunner = <S extends AnyScript>(script: S, keys: readonly string[], args: readonly CommandArgument[], sessionId?: string) => {
    calls.push({ script, keys: [...keys], args: [...args], sessionId });
    return Promise.resolve(script.parseReply(reply) as ReplyOf<S>);
  };
  return { run, calls };
}

/** What a call sent, read by the script's declared names: keys, arguments, and the tail after them. */
export interface NamedCall {
  readonly keys: Readonly<Record<string, string>>;
  readonly args: Readonly<Record<string, CommandArgument>>;
  readonly tail: readonly CommandArgument[];
}

/** The only call in `calls`, which must be of `script`, read by its names (a key or argument it did not send is absent). */
export function onlyCall(calls: readonly ScriptCall[], script: DefinedScript<readonly string[], unknown>): NamedCall & { readonly sessionId: string | undefined } {
  expect(calls).toHaveLength(1);
  const call = calls[0] as ScriptCall;
  expect(call.script).toBe(script);
  expect(call.keys.length).toBeLessThanOrEqual(script.keyNames.length);
  expect(call.args.length).toBeGreaterThanOrEqual(script.argNames.length);
  if (script.tail === null) expect(call.args).toHaveLength(script.argNames.length);
  const keys = Object.fromEntries(call.keys.map((key, i) => [script.keyNames[i] as string, key]));
  const args = Object.fromEntries(script.argNames.map((name, i) => [name, call.args[i] as CommandArgument]));
  return { keys, args, tail: call.args.slice(script.argNames.length), sessionId: call.sessionId };
}

/** The delta tail `apply_delta` reads: count of fields set, the pairs, count of fields removed, those fields. */
export function deltaTail(set: readonly string[], remove: readonly string[]): CommandArgument[] {
  return [set.length / 2, ...set, remove.length, ...remove];
}

/**
 * Checks the generated header: one `local` per declared key (`KEYS[i]`), then per argument
 * (`ARGV[i]`, as text, `:flag` or `:number` as `argSpecs` say), then the tail's start, in the declared order and
 * nothing else; the header is in the source once, right before the body, and the body reads
 * keys and arguments by these names only (no `KEYS[n]` / `ARGV[n]`) and uses each of them.
 * Also checks the script is sent by the command `EVALSHA lapse:<name>`.
 */
export function expectHeaderDeclares(
  script: DefinedScript<readonly string[], unknown>,
  name: string,
  keyNames: readonly string[],
  argSpecs: readonly string[],
  tail: string | null,
): void {
  expect(script.command).toBe(`EVALSHA lapse:${name}`);
  const argNames = argSpecs.map((spec) => spec.split(':')[0] as string);
  expect(script.keyNames).toEqual(keyNames);
  expect(script.argNames).toEqual(argNames);
  expect(script.tail).toBe(tail);
  const declared = script.header
    .split('\n')
    .filter((line) => line.startsWith('local '))
    .map((line) => {
      const match = /^local (\w+) = (?:(KEYS|ARGV)\[(\d+)\]( == '1')?|tonumber\(ARGV\[(\d+)\]\)|(\d+) -- ARGV\[\d+\] on: the \w+)$/.exec(line);
      expect(match, line).not.toBeNull();
      const [, name, table, index, flag, numberIndex, tailAt] = match as RegExpExecArray;
      if (tailAt !== undefined) return `${name}@${tailAt}`;
      if (numberIndex !== undefined) return `${name}:number=ARGV[${numberIndex}]`;
      return `${name}${flag === undefined ? '' : ':flag'}=${table}[${index}]`;
    });
  expect(declared).toEqual([
    ...keyNames.map((name, i) => `${name}=KEYS[${i + 1}]`),
    ...argSpecs.map((spec, i) => `${spec}=ARGV[${i + 1}]`),
    ...(tail === null ? [] : [`${tail}_at@${argNames.length + 1}`]),
  ]);
  expect(script.source.split(script.header)).toHaveLength(2);
  const body = script.source.slice(script.source.indexOf(script.header) + script.header.length);
  expect(body).not.toMatch(/(KEYS|ARGV)\[/);
  for (const name of [...keyNames, ...argNames, ...(tail === null ? [] : [`${tail}_at`])]) expect(body, name).toMatch(new RegExp(`\\b${name}\\b`));
}
