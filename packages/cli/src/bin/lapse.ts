#!/usr/bin/env node
// The `lapse` command. Everything is in runCli; this file only wires it to the process.
import { runCli } from '../runCli.js';

// `lapse watch | head -1`: a closed pipe ends the command quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// Everything the command opened is closed by now; should a library leave a timer behind, do not wait for it.
setTimeout(() => process.exit(code), 200).unref();
