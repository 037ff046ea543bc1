import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from './EventRecorder.js';

/** A broadcast listener in its own process (`broadcast-listener-child.mjs`) and what it printed. */
export interface ListenerChild {
  readonly child: ChildProcess;
  /** Ids of the expired events it emitted, in order. */
  readonly expired: string[];
  /** Ids of the created events it emitted, in order. */
  readonly created: string[];
}

/**
 * Starts the child listener and resolves once it has started; `track` receives a closer that
 * kills it. With `dieAt`, the child SIGKILLs itself inside its handler of that expired event.
 */
export async function startListenerChild(
  url: string,
  namespace: string,
  name: string,
  track: (close: () => Promise<unknown>) => void,
  dieAt?: number,
): Promise<ListenerChild> {
  const script = fileURLToPath(new URL('./broadcast-listener-child.mjs', import.meta.url));
  const args = [script, url, namespace, name, ...(dieAt === undefined ? [] : [String(dieAt)])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const expired: string[] = [];
  const created: string[] = [];
  let ready = false;
  let rest = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const [kind, value] = line.split(' ');
      if (kind === 'expired' && value !== undefined) expired.push(value);
      else if (kind === 'created' && value !== undefined) created.push(value);
      else if (kind === 'ready') ready = true;
    }
  });
  track(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  });
  await eventually(async () => ready || child.exitCode !== null, Boolean, 'the child listener to start', 15_000);
  if (!ready) throw new Error(`the child listener exited with code ${child.exitCode}`);
  return { child, expired, created };
}
