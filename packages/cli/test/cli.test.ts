// The command line itself: help on every command, usage errors, exit codes, one-line errors,
// plain output without a terminal. Runs the built binary.
import { readFile } from 'node:fs/promises';
import { findFreePort } from '@lapse/redis-harness';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/index.js';
import { ExitCode, Output } from '../src/index.js';
import { BIN, isOneLine, lapse } from './support/lapse.js';

const NAMES = ['demo', 'watch', 'ls', 'show', 'rm', 'logout', 'stats', 'doctor'];

describe('lapse command line', () => {
  it('is a node script with a shebang', async () => {
    expect((await readFile(BIN, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('lists every command with --help, exit 0', async () => {
    const run = await lapse(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    for (const name of NAMES) expect(run.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(run.stdout).toContain('Exit codes: 0 ok, 1 problems found or the command failed, 2 usage error.');
    expect(run.stdout).toContain('--client node-redis|ioredis (the client library lapse connects with; default: node-redis)');
    expect(COMMANDS.map((c) => c.name)).toEqual(NAMES);
  });

  it.each(NAMES)('lapse %s --help shows usage, options and examples, exit 0', async (name) => {
    const run = await lapse([name, '--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^Usage: lapse ${name}`));
    expect(run.stdout).toMatch(/^Options:$/m);
    expect(run.stdout).toMatch(/^ +--redis URL +/m);
    expect(run.stdout).toMatch(/^ +--namespace NS +/m);
    expect(run.stdout).toMatch(/^ +--client LIB +the Redis client library lapse connects with: node-redis or ioredis \(default: node-redis\)$/m);
    expect(run.stdout).toMatch(/^Examples:\n  lapse /m);
    expect(run.stdout).toContain('Exit codes:');
  });

  it('lapse help ls and lapse ls -h are lapse ls --help', async () => {
    const [long, help, short] = await Promise.all([lapse(['ls', '--help']), lapse(['help', 'ls']), lapse(['ls', '-h'])]);
    expect(help.stdout).toBe(long.stdout);
    expect(short.stdout).toBe(long.stdout);
  });

  it('without a command prints the help on stderr and exits 2', async () => {
    const run = await lapse([]);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Usage: lapse <command>/);
  });

  it.each([
    [['frobnicate'], /^lapse: unknown command 'frobnicate'; the commands are demo, .*\(run 'lapse --help'\)$/],
    [['ls', '--bogus'], /^lapse ls: unknown option --bogus \(run 'lapse ls --help'\)$/],
    [['ls', '--principal'], /^lapse ls: option --principal needs a value \(run 'lapse ls --help'\)$/],
    [['show'], /^lapse show: missing ID \(run 'lapse show --help'\)$/],
    [['show', 'a', 'b'], /^lapse show: unexpected argument 'b'/],
    [['logout'], /^lapse logout: missing PRINCIPAL/],
    [['ls', '--expiring-within', 'soon'], /^lapse ls: --expiring-within takes a duration such as 90s, 5m, 2h or 1d, got "soon"/],
    [['watch', '--count', '0'], /^lapse watch: --count takes a whole number of at least 1, got "0"/],
    // A value that starts with "-" is the option's value, which the option then checks.
    [['watch', '--count', '-1'], /^lapse watch: --count takes a whole number of at least 1, got "-1" \(run 'lapse watch --help'\)$/],
    [['ls', '--expiring-within', '-5m'], /^lapse ls: --expiring-within takes a duration such as 90s, 5m, 2h or 1d, got "-5m" \(run 'lapse ls --help'\)$/],
    // An option where the value should be: say what the first one takes.
    [['watch', '--count', '--redis', 'redis://127.0.0.1:1'], /^lapse watch: option --count takes N \(exit after N events\), got the option --redis instead \(run 'lapse watch --help'\)$/],
    [['ls', '--json=yes'], /^lapse ls: option --json takes no value/],
    [['ls', '--redis', 'http://example.com'], /^lapse ls: --redis must start with redis:\/\/ or rediss:\/\//],
    [['ls', '--namespace', 'has space'], /^lapse ls: --namespace .*white space/],
    [['ls', '--client', 'jedis'], /^lapse ls: --client takes node-redis or ioredis, got "jedis" \(run 'lapse ls --help'\)$/],
  ])('usage error %j: one line on stderr, exit 2', async (args, message) => {
    const run = await lapse(args);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stdout).toBe('');
    expect(isOneLine(run.stderr)).toBe(true);
    expect(run.stderr.trim()).toMatch(message);
  });

  it.each([
    ['an unknown command', (long: string) => [long]],
    ['an unknown option', (long: string) => ['ls', `--${long}`]],
    ['a positional too many', (long: string) => ['show', 'a', long]],
    ['a bad count', (long: string) => ['watch', '--count', long]],
    ['a bad duration', (long: string) => ['ls', '--expiring-within', long]],
    ['a bad --redis URL', (long: string) => ['ls', '--redis', `http://${long}`]],
    ['a bad --redis=URL', (long: string) => ['ls', `--redis=redis://h:1/${long}`]],
  ])('an error line quotes at most 80 characters of a long argument (%s)', async (_, args) => {
    const long = `${'0123456789'.repeat(8)}${'z'.repeat(4000)}`;
    const run = await lapse(args(long));
    expect(run.code).toBe(ExitCode.Usage);
    expect(isOneLine(run.stderr)).toBe(true);
    // Its start is quoted (up to 80 characters, whatever precedes the digits in the word), then "…".
    expect(run.stderr).toMatch(/(0123456789){6}\d*…/);
    expect(run.stderr).not.toContain('z');
    expect(run.stderr.length).toBeLessThan(400);
  });

  it('an unreachable Redis is one line saying what to do, exit 1', async () => {
    const port = await findFreePort();
    const run = await lapse(['ls', '--redis', `redis://127.0.0.1:${port}`]);
    expect(run.code).toBe(ExitCode.Problems);
    expect(run.stdout).toBe('');
    expect(isOneLine(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(new RegExp(`^lapse ls: cannot connect to Redis at redis://127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\): start Redis there, or pass --redis URL`));
  });

  it('never shows a password in messages', async () => {
    const port = await findFreePort();
    const run = await lapse(['stats', '--redis', `redis://app:s3cret@127.0.0.1:${port}`]);
    expect(run.code).toBe(ExitCode.Problems);
    expect(run.stderr).toContain('redis://app:***@127.0.0.1');
    expect(run.stderr).not.toContain('s3cret');
  });

  it('accepts --redis before the command, and prints its version', async () => {
    const port = await findFreePort();
    const run = await lapse(['--redis', `redis://127.0.0.1:${port}`, 'ls']);
    expect(run.stderr).toContain(`127.0.0.1:${port}`);
    const version = await lapse(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('paints only on a terminal, and not with NO_COLOR', () => {
    const sink = (isTTY: boolean): { write(text: string): boolean; isTTY: boolean } => ({ write: () => true, isTTY });
    expect(new Output(sink(true), sink(true), {}).paint('red', 'x')).toBe('\x1b[31mx\x1b[39m');
    expect(new Output(sink(false), sink(false), {}).paint('red', 'x')).toBe('x');
    expect(new Output(sink(true), sink(true), { NO_COLOR: '1' }).paint('red', 'x')).toBe('x');
    const written: string[] = [];
    const plain = new Output(sink(false), { write: (t: string) => written.push(t) > 0, isTTY: false }, {});
    plain.status('working…');
    plain.clearStatus();
    expect(written).toEqual([]);
  });
});
