// defineScript: the Lua header it generates from a declaration, what it refuses, and a runner's typed arguments.
import { describe, expect, it } from 'vitest';
import { defineScript, LuaScript, type ScriptArgs } from '../../../src/redis/LuaScript.js';
import { capturing, expectHeaderDeclares, onlyCall } from './captureScripts.js';

const example = defineScript({
  name: 'lapse:example',
  helpers: '-- helpers\n',
  keys: ['a_key', 'b_key'],
  args: ['label', 'on:flag', 'count:number'],
  tail: 'rest',
  body: 'return { a_key, b_key, label, on, count, rest_at }\n',
  reply: (reply) => (Array.isArray(reply) ? reply.length : -1),
});

describe('defineScript', () => {
  it('puts the helpers, then one local per key and argument (text, flag or number) and the tail\'s start, then the body', () => {
    expect(example.source).toBe(
      [
        '-- helpers',
        '',
        "-- KEYS and ARGV by name, generated from the script's declaration (see defineScript)",
        'local a_key = KEYS[1]',
        'local b_key = KEYS[2]',
        'local label = ARGV[1]',
        "local on = ARGV[2] == '1'",
        'local count = tonumber(ARGV[3])',
        'local rest_at = 4 -- ARGV[4] on: the rest',
        'return { a_key, b_key, label, on, count, rest_at }',
        '',
      ].join('\n'),
    );
    expectHeaderDeclares(example, 'example', ['a_key', 'b_key'], ['label', 'on:flag', 'count:number'], 'rest');
    expect(example).toBeInstanceOf(LuaScript);
    expect(example.sha).toBe(new LuaScript('x', example.source).sha);
  });

  it('declares no tail when none is given', () => {
    const fixed = defineScript({ name: 'lapse:fixed', helpers: '', keys: ['k'], args: ['v'], body: 'return { k, v }', reply: String });
    expect(fixed.tail).toBeNull();
    expect(fixed.header).not.toMatch(/_at =/);
  });

  it.each([
    ['a key that is no Lua name', { keys: ['a-key'], args: [] }],
    ['an argument that is no Lua name', { keys: [], args: ['1st'] }],
    ['a Lua keyword', { keys: ['end'], args: [] }],
    ['a name given twice', { keys: ['same'], args: ['same'] }],
    ['the tail clashing with an argument', { keys: [], args: ['rest_at'], tail: 'rest' }],
    ['an unknown argument kind', { keys: [], args: ['x:boolean'] }],
  ])('refuses %s', (_, declaration) => {
    expect(() => defineScript({ name: 'lapse:bad', helpers: '', body: 'return 1', reply: String, ...declaration })).toThrow(/lapse:bad/);
  });

  it('a runner call sends the declared arguments then the tail, names the session, and gets the reply parsed', async () => {
    const { run, calls } = capturing(['x', 'y']);
    const args: ScriptArgs<typeof example> = ['l', '1', 3];
    args.push('tail 1', 'tail 2');
    expect(await run(example, ['ka', 'kb'], args, 'id1')).toBe(2);
    const call = onlyCall(calls, example);
    expect(call.args).toEqual({ label: 'l', on: '1', count: 3 });
    expect(call.tail).toEqual(['tail 1', 'tail 2']);
    expect(call.sessionId).toBe('id1');
  });

  it('types the arguments as the declared list: too few do not compile, nor too many without a tail', () => {
    const { run } = capturing(1);
    const fixed = defineScript({ name: 'lapse:fixed', helpers: '', keys: ['k'], args: ['v', 'w'], body: 'return { k, v, w }', reply: Number });
    // @ts-expect-error one argument missing
    const tooFew: ScriptArgs<typeof example> = ['l', '1'];
    // @ts-expect-error a script without a tail takes exactly its arguments
    void run(fixed, ['k'], ['v', 'w', 'extra']);
    expect(tooFew).toHaveLength(2);
  });
});
