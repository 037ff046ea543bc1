import { createHash } from 'node:crypto';
import type { CommandArgument, RedisReply, ScriptSource } from './clients/RedisConnection.js';

/**
 * The one function that runs any defined script (`RedisCalls.runScript` in the repository): it
 * sends `args` (the declared arguments in order, then the tail's values) with
 * `RedisConnection.runScript`, adds `commandTimeoutMs`, lapse's error types and the database
 * check, and resolves with the reply as the script's `reply` parses it. `sessionId` names the
 * session in errors (none for a sweep).
 */
export type ScriptRunner = <S extends AnyScript>(
  script: S,
  keys: readonly string[],
  args: NoInfer<ScriptArgs<S>>,
  sessionId?: string,
) => Promise<ReplyOf<S>>;

/**
 * A Lua script sent as EVALSHA, falling back to EVAL once when Redis does not have it
 * (first use, `SCRIPT FLUSH`, restart; see `RedisConnection.runScript`). It does not add
 * commands to the caller's client, so lapse leaves the application's connection as it found it.
 */
export class LuaScript implements ScriptSource {
  /** SHA1 of the source, as Redis names it. */
  readonly sha: string;
  /** How errors name a call of it: `EVALSHA <name>`. */
  readonly command: string;

  constructor(
    /** Name used in error messages, e.g. `lapse:save-session`. */
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
    this.command = `EVALSHA ${name}`;
  }
}

/**
 * One declared argument: its Lua name, read as text (`'id'`), as a flag (`'is_new:flag'`: true
 * when the argument is `'1'`) or as a number (`'shadow_ttl:number'`: `tonumber`).
 */
export type ArgumentSpec = string;

/** The Lua name of an {@link ArgumentSpec}. */
export type ArgumentName<S extends string> = S extends `${infer Name}:${string}` ? Name : S;

/** A script's declared arguments as the values sent, in the declared order (a tuple of the same length). */
export type ArgumentValues<A extends readonly ArgumentSpec[]> = { -readonly [I in keyof A]: CommandArgument };

/** What {@link defineScript} takes: a script's keys, named arguments, Lua and reply parsing together. */
export interface ScriptDefinition<A extends readonly ArgumentSpec[], R, T extends string | null> {
  /** Name used in error messages, e.g. `lapse:save-session`. */
  readonly name: string;
  /** Lua put before the header: the helper functions the body calls. */
  readonly helpers: string;
  /** The keys' Lua names, in the order the caller sends them (`KEYS[1]`, `KEYS[2]`, ...). */
  readonly keys: readonly string[];
  /** The arguments, in the order the caller sends them (`ARGV[1]`, ...): see {@link ArgumentSpec}. */
  readonly args: A;
  /**
   * A variable-length tail after the named arguments (e.g. `'delta'`): the header declares
   * `local <tail>_at = <its first ARGV index>` and the caller appends the tail's values.
   */
  readonly tail?: T;
  /** The Lua after the header, reading keys and arguments by their names only. */
  readonly body: string;
  /** Turns the script's reply into what its caller returns. */
  readonly reply: (reply: RedisReply) => R;
}

/**
 * A script defined by {@link defineScript}: its source is the helpers, a header generated from
 * the declared names (`local hash_key = KEYS[1]`, `local is_new = ARGV[1] == '1'`, ...) and the
 * body, so the caller's argument list and the Lua read the same declaration.
 */
export class DefinedScript<A extends readonly ArgumentSpec[], R, T extends string | null = string | null> extends LuaScript {
  /** The keys' Lua names, in order. */
  readonly keyNames: readonly string[];
  /** The arguments' Lua names, in order (the tail not included). */
  readonly argNames: readonly ArgumentName<A[number]>[];
  /** The tail's name, or `null` when the script takes a fixed number of arguments. */
  readonly tail: T;
  /** The generated Lua header (part of `source`). */
  readonly header: string;
  /** Turns a reply of this script into what its caller returns (a plain function: pass it to `then`). */
  readonly parseReply: (reply: RedisReply) => R;

  constructor(definition: ScriptDefinition<A, R, T>) {
    const header = luaHeader(definition);
    super(definition.name, `${definition.helpers}${header}${definition.body}`);
    this.keyNames = [...definition.keys];
    this.argNames = definition.args.map(argumentName) as ArgumentName<A[number]>[];
    this.tail = (definition.tail ?? null) as T;
    this.header = header;
    this.parseReply = definition.reply;
  }
}

/** Defines a script from its declaration (see {@link ScriptDefinition}); throws on a name that is no Lua variable name, a name given twice, or an unknown argument kind. */
export function defineScript<const A extends readonly ArgumentSpec[], R, const T extends string | null = null>(
  definition: ScriptDefinition<A, R, T>,
): DefinedScript<A, R, T> {
  return new DefinedScript(definition);
}

/**
 * What a call of `script` sends as ARGV: the declared arguments in order, then (for a script
 * with a tail) the tail's values, which the caller appends.
 */
export type ScriptArgs<S> =
  S extends DefinedScript<infer A, unknown, infer T> ? (T extends string ? [...ArgumentValues<A>, ...CommandArgument[]] : ArgumentValues<A>) : never;

/** Any defined script (see {@link ScriptRunner}). */
export type AnyScript = DefinedScript<readonly ArgumentSpec[], unknown, string | null>;

/** What a script's `reply` turns its reply into. */
export type ReplyOf<S> = S extends DefinedScript<readonly ArgumentSpec[], infer R, string | null> ? R : never;

const LUA_NAME = /^[a-z_][a-z0-9_]*$/;
const LUA_KEYWORDS = new Set('and break do else elseif end false for function if in local nil not or repeat return then true until while'.split(' '));
const CONVERSIONS: Readonly<Record<string, (read: string) => string>> = {
  text: (read) => read,
  flag: (read) => `${read} == '1'`,
  number: (read) => `tonumber(${read})`,
};

function argumentName(spec: string): string {
  const colon = spec.indexOf(':');
  return colon < 0 ? spec : spec.slice(0, colon);
}

/** The header's Lua: one `local` per key and argument, then the tail's start. */
function luaHeader(definition: ScriptDefinition<readonly string[], unknown, string | null>): string {
  const seen = new Set<string>();
  const declare = (name: string): string => {
    if (!LUA_NAME.test(name) || LUA_KEYWORDS.has(name) || seen.has(name)) throw new Error(`${definition.name}: '${name}' is not a Lua name, or is declared twice`);
    seen.add(name);
    return name;
  };
  const lines = ['', '-- KEYS and ARGV by name, generated from the script\'s declaration (see defineScript)'];
  definition.keys.forEach((key, i) => lines.push(`local ${declare(key)} = KEYS[${i + 1}]`));
  definition.args.forEach((spec, i) => {
    const colon = spec.indexOf(':');
    const kind = colon < 0 ? 'text' : spec.slice(colon + 1);
    const convert = CONVERSIONS[kind];
    if (convert === undefined) throw new Error(`${definition.name}: argument '${spec}' has no kind text, flag or number`);
    lines.push(`local ${declare(argumentName(spec))} = ${convert(`ARGV[${i + 1}]`)}`);
  });
  if (definition.tail !== undefined && definition.tail !== null) {
    const at = definition.args.length + 1;
    lines.push(`local ${declare(`${definition.tail}_at`)} = ${at} -- ARGV[${at}] on: the ${definition.tail}`);
  }
  return `${lines.join('\n')}\n`;
}
