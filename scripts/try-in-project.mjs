#!/usr/bin/env node
// Does what the README's "Use it in your project" section tells a user to do, as written: runs the
// section's shell commands (packing lapse in this clone, installing the tarballs in a new, empty
// project in a temporary folder outside the repository), saves the README's Usage example in that
// project as example.mjs, and runs it against a throwaway redis-server (spawned on a free port,
// stopped by its PID). Exit 0 only if the example printed exactly the logout event it should.
// Run by integration-tests/test/use-in-project.test.ts; `node scripts/try-in-project.mjs` by hand.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The folder the README's commands pack into; replaced by one inside the temporary folder. */
const README_PACKS = '/tmp/lapse-packs';
/** What the Usage example prints when it works: the logout, with the session's last data. */
const EXPECTED = /^deleted [A-Za-z0-9_-]{32}: user ada \(logout\)\n$/;

const say = (text) => process.stdout.write(`try-in-project: ${text}\n`);

/** The text between `## heading` and the next `## ` heading of the README. */
function section(readme, heading) {
  const body = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0];
  if (body === undefined) throw new Error(`README.md has no section "## ${heading}"`);
  return body;
}

/** The first fenced block of `language` in `text`. */
function firstBlock(text, language, where) {
  const block = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(text)?.[1];
  if (block === undefined) throw new Error(`README.md: no \`\`\`${language} block in ${where}`);
  return block;
}

/**
 * The section's shell commands with the folder each runs in: a comment starting "# in the lapse
 * clone" or "# in your project" says where the commands after it run.
 */
function commandsOf(block, clone, project) {
  const commands = [];
  let cwd = null;
  for (const raw of block.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (/^# in the lapse clone\b/.test(line)) cwd = clone;
      else if (/^# in your project\b/.test(line)) cwd = project;
      continue;
    }
    if (cwd === null) throw new Error(`README.md: "${line}" comes before a "# in the lapse clone" or "# in your project" comment`);
    commands.push({ command: line, cwd });
  }
  return commands;
}

/**
 * Runs `command` with bash in `cwd`; rejects with its output if it fails. `--norc`: a bash whose
 * stdin is a socket (Node's pipes are socketpairs) at shell level 1 would otherwise read
 * /etc/bash.bashrc, which under `-u` writes "PS1: unbound variable" to stderr on Debian.
 */
function sh(command, cwd, env = process.env) {
  return new Promise((resolve, reject) => {
    execFile('bash', ['--norc', '-euo', 'pipefail', '-c', command], { cwd, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`\`${command}\` failed in ${cwd} (${error.message.split('\n')[0]})\n${stdout}${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** A TCP port nothing listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether a Redis on `port` answers PING. */
function pong(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) socket.end();
    });
    socket.once('close', () => resolve(reply.startsWith('+PONG')));
    socket.once('error', () => resolve(false));
  });
}

/** A redis-server on a free loopback port, without persistence; `stop()` kills it by its PID. */
async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const failed = new Promise((_, reject) => child.once('error', (error) => reject(new Error(`cannot start redis-server (${error.message}): install it (apt-get install redis-server)`))));
  failed.catch(() => {});
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 10_000;
  while (!(await pong(port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} on port ${port}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 50)), failed]);
  }
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid, stop };
}

async function main() {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const example = firstBlock(section(readme, 'Usage'), 'ts', 'the Usage section');
  const steps = firstBlock(section(readme, 'Use it in your project'), 'sh', 'the "Use it in your project" section');

  const temp = await mkdtemp(join(tmpdir(), 'lapse-try-'));
  const project = join(temp, 'my-app');
  const packs = join(temp, 'packs');
  let redis = null;
  try {
    await sh(`mkdir -p ${JSON.stringify(project)} && npm init -y >/dev/null`, temp);
    say(`an empty project in ${project} (npm init -y)`);
    for (const { command, cwd } of commandsOf(steps, root, project)) {
      const actual = command.split(README_PACKS).join(packs);
      say(`${cwd === root ? 'lapse clone' : 'my-app'}$ ${actual}`);
      await sh(actual, cwd);
    }
    await writeFile(join(project, 'example.mjs'), example);
    await sh(`node --input-type=module -e "await import('@lapse/express-session')"`, project);
    say("my-app imports @lapse/express-session, and the README's Usage example is saved as example.mjs");

    redis = await startRedis();
    say(`a throwaway redis-server at ${redis.url} (pid ${redis.pid})`);
    const { stdout, stderr } = await sh('node example.mjs', project, { ...process.env, REDIS_URL: redis.url });
    if (stderr !== '' || !EXPECTED.test(stdout)) {
      throw new Error(`the Usage example printed\nstdout: ${JSON.stringify(stdout)}\nstderr: ${JSON.stringify(stderr)}\nexpected stdout to match ${EXPECTED}`);
    }
    say(`my-app$ node example.mjs -> ${stdout.trim()}`);
    say('ok');
  } finally {
    if (redis !== null) await redis.stop();
    if (process.env.LAPSE_KEEP_TRY === undefined) await rm(temp, { recursive: true, force: true });
    else say(`kept ${temp} (LAPSE_KEEP_TRY)`);
  }
}

main().catch((error) => {
  process.stderr.write(`try-in-project: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
