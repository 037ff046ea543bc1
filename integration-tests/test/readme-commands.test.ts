// Every command the README names works as written: the commands of its ```sh blocks and the inline
// `npx --yes pnpm@10.34.9 …`, `node …` and `lapse …` ones each name a package.json script (or a pnpm
// command), a file on disk, or a lapse command and options its --help lists; the Node version it
// states is package.json's; and the cheap, safe ones run: lapse's --help for every command named, and
// both examples' run commands as written (against a throwaway Redis, on a free port) until their page answers.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useRedis } from './support/redis.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };
const LAPSE = join(root, 'packages/cli/dist/bin/lapse.js');
const PNPM = 'npx --yes pnpm@10.34.9';
/** pnpm's own commands the README uses (everything else after `pnpm` must be a script of package.json). */
const PNPM_COMMANDS = new Set(['install', 'pack']);
/** Files the README has the reader write in their own project, not files of this repository. */
const READERS_FILES = new Set(['example.mjs']);
/** Options every lapse command takes. */
const GLOBAL_OPTIONS = new Set(['--redis', '--client', '--namespace', '--help']);
const run = promisify(execFile);
const redis = useRedis();

/** The commands of every ```sh block: comments and blank lines dropped, `a && b` split. */
function blockCommands(): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks.flatMap((block) =>
    block
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .flatMap((line) => (line.startsWith('for ') ? [line] : line.split(' && '))),
  );
}

/** The inline `npx --yes pnpm@10.34.9 …`, `node …` and `lapse …` commands, placeholders (`<command>: …`) aside. */
function inlineCommands(): string[] {
  return [...readme.matchAll(/`((?:[A-Z_]+=\S+ )*(?:npx --yes pnpm@10\.34\.9|node|lapse) [^`]+)`/g)]
    .map((match) => match[1] ?? '')
    .filter((command) => !/^lapse <command>:/.test(command));
}

const COMMANDS = [...new Set([...blockCommands(), ...inlineCommands()])];

/** A command without its leading `VAR=value` assignments and `(cd dir &&`. */
function program(command: string): string {
  return command.replace(/^(?:[A-Z_]+=(?:\$\([^)]*\)|\S+) )+/, '').replace(/^\(cd \S+ /, '');
}

/** The words of a lapse command line (after `lapse`), `[--flag ARG]` brackets dropped. */
function lapseWords(command: string): string[] {
  return command.replace(/[[\]]/g, ' ').split(/\s+/).filter((word) => word !== '' && word !== '|').slice(1);
}

const lapseHelp = (args: string[]): Promise<string> => run(process.execPath, [LAPSE, ...args, '--help']).then(({ stdout }) => stdout);

describe('README commands', () => {
  it('finds the commands (a sanity check of the extraction)', () => {
    expect(COMMANDS).toContain(`${PNPM} install --frozen-lockfile`);
    expect(COMMANDS).toContain(`${PNPM} demo`);
    expect(COMMANDS).toContain('lapse --help');
    expect(COMMANDS.some((command) => command.includes('node examples/fastify/dist/main.js'))).toBe(true);
    expect(COMMANDS.length).toBeGreaterThan(20);
  });

  it('the quick start names only commands that run in a fresh clone (lapse is an alias set up later)', () => {
    const quickStart = readme.split('\n## Quick start\n')[1]?.split('\n## ')[0] ?? '';
    const named = [...quickStart.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '').filter((text) => /^(?:lapse|npx|node|pnpm) /.test(text));
    expect(named).toContain(`${PNPM} demo`);
    expect(named.filter((command) => /^lapse /.test(command))).toEqual([]);
  });

  it('states the Node.js version package.json enforces', () => {
    const engines = /^>=(\d+)\.(\d+)\.0$/.exec(pkg.engines.node);
    expect(engines, pkg.engines.node).not.toBeNull();
    const stated = [...readme.matchAll(/Node\.js (\d+(?:\.\d+)*)/g)].map((match) => match[1]);
    expect(stated.length).toBeGreaterThan(0);
    expect(new Set(stated)).toEqual(new Set([`${engines?.[1]}.${engines?.[2]}`]));
  });

  it('every pnpm command is a script of package.json or a pnpm command, and every node command runs a file that exists', () => {
    for (const command of COMMANDS) {
      const words = program(command).split(/\s+/);
      for (const [index] of words.entries()) {
        if (words.slice(index, index + 3).join(' ') === PNPM) {
          const name = words[index + 3] ?? '';
          expect(PNPM_COMMANDS.has(name) || name in pkg.scripts, `${command}: pnpm ${name}`).toBe(true);
        }
        if (words[index] === 'node' && words[index + 1] !== undefined && !words[index + 1]?.startsWith('-')) {
          const file = (words[index + 1] as string).replace(/^"?\$PWD\//, '').replace(/"$/, '');
          expect(READERS_FILES.has(file) || existsSync(join(root, file)), `${command}: ${file}`).toBe(true);
        }
      }
      const alias = /^alias lapse="node \$PWD\/(\S+)"$/.exec(command);
      if (alias !== null) expect(existsSync(join(root, alias[1] as string)), command).toBe(true);
    }
  });

  it('the pack loop packs packages that exist, into the tarballs the npm install lines name, quietly', () => {
    const loop = COMMANDS.find((command) => command.startsWith('for p in '));
    expect(loop).toBeDefined();
    expect(loop).toMatch(/\| tail -n 1\); done$/);
    const names = /^for p in ([\w\s-]+); do/.exec(loop as string)?.[1]?.trim().split(/\s+/) ?? [];
    const tarballs = names.map((name) => {
      const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as { name: string; version: string };
      return `/tmp/lapse-packs/${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`;
    });
    const installed = COMMANDS.filter((command) => command.startsWith('npm install /tmp/lapse-packs/')).flatMap((command) => command.split(/\s+/).filter((word) => word.endsWith('.tgz')));
    expect(new Set(installed)).toEqual(new Set(tarballs));
  });

  it('every lapse command it names is one lapse --help lists, with options its own --help lists; each --help runs', async () => {
    const overview = await lapseHelp([]);
    const listed = new Set([...overview.matchAll(/^ {2}(\w+) {2,}/gm)].map((match) => match[1]));
    expect(listed.size).toBeGreaterThan(5);
    const lapseCommands = COMMANDS.map(program).filter((command) => command.startsWith('lapse ') || command.startsWith('node packages/cli/dist/bin/lapse.js '));
    expect(lapseCommands.length).toBeGreaterThan(10);
    const named = lapseCommands.flatMap((command) => {
      const words = lapseWords(command.replace(/^node packages\/cli\/dist\/bin\/lapse\.js/, 'lapse'));
      // Global options may come before the command (`lapse --client ioredis ls`).
      while (words[0] !== undefined && GLOBAL_OPTIONS.has(words[0]) && words[0] !== '--help') words.splice(0, 2);
      const name = words[0];
      return name === undefined || name === '--help' || name === '<command>' ? [] : [{ command, name, options: words.filter((word) => word.startsWith('--')) }];
    });
    for (const { command, name } of named) expect(listed.has(name), `${command}: lapse ${name}`).toBe(true);
    const names = [...new Set(named.map(({ name }) => name))];
    const helps = new Map(await Promise.all(names.map(async (name) => [name, await lapseHelp([name])] as const)));
    for (const { command, name, options } of named) {
      for (const option of options) expect(GLOBAL_OPTIONS.has(option) || (helps.get(name) as string).includes(` ${option}`), `${command}: ${option}`).toBe(true);
    }
    expect(helps.size).toBeGreaterThan(5);
  });

  it.each(['express', 'fastify'])('the %s example starts as written (with a throwaway Redis and a free port) and serves its page', async (name) => {
    const written = COMMANDS.find((command) => command.includes(`node examples/${name}/dist/main.js`));
    expect(written).toMatch(/^REDIS_URL=redis:\/\/127\.0\.0\.1:6379 PORT=3000 /);
    // The README's own line, run by sh; only where it points changes (never the Redis on 6379).
    const line = (written as string).replace('redis://127.0.0.1:6379', redis.handle.url).replace('PORT=3000', 'PORT=0');
    const child = spawn('sh', ['-c', line], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        const timer = setTimeout(() => reject(new Error(`examples/${name} did not say it listens within 20 s; stderr: ${stderr}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += String(chunk);
          const listening = /listening on (http:\/\/\S+) /.exec(stdout);
          if (listening !== null) {
            clearTimeout(timer);
            resolve(listening[1] as string);
          }
        });
        void exited.then((code) => reject(new Error(`examples/${name} exited ${String(code)}: ${stderr}`)));
      });
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>lapse example');
    } finally {
      // The shell and the example it started are one process group, started here.
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
      await exited;
    }
    expect(stderr).toBe('');
  });
});
