#!/usr/bin/env node
// `pnpm demo`: builds what the demo needs, saying so (a fresh clone takes a few seconds to compile),
// then runs `lapse demo` with the arguments given. Plain text; dimmed only on a terminal without NO_COLOR.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const lapse = fileURLToPath(new URL('../packages/cli/dist/bin/lapse.js', import.meta.url));

const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
const dim = process.stdout.isTTY === true && !noColor && process.env.TERM !== 'dumb';
const say = (text) => process.stdout.write(dim ? `\x1b[2m${text}\x1b[22m\n` : `${text}\n`);

/** Runs `node <args>` in the repository root with the terminal attached; resolves with its exit code. */
function node(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 0)));
  });
}

const started = Date.now();
say('building TypeScript: tsc -b packages/cli (the CLI and the packages it uses; a few seconds on a fresh clone)…');
const built = await node([tsc, '-b', 'packages/cli']);
if (built !== 0) {
  process.stderr.write(`pnpm demo: the TypeScript build failed (exit ${built}): see the errors above\n`);
  process.exit(built);
}
say(`built in ${((Date.now() - started) / 1000).toFixed(1)} s; starting lapse demo…`);
process.exitCode = await node([lapse, 'demo', ...process.argv.slice(2)]);
