/** Something the harness started that must not outlive the test process. */
export interface EmergencyStoppable {
  /** Synchronously SIGKILLs the process(es) and removes temporary files. Must not throw. */
  killSync(): void;
}

const live = new Set<EmergencyStoppable>();
let installed = false;

function killAllSync(): void {
  for (const item of live) {
    try {
      item.killSync();
    } catch {
      // best effort during exit
    }
  }
  live.clear();
}

const FATAL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Number of `process` signal listeners that belong to the `signal-exit` package (v3 and v4; testcontainers loads
 * it). Those listeners only re-raise the signal when they are the sole listeners, so ours must not count as
 * "someone else will handle it", or neither would terminate the process.
 */
function signalExitListenerCount(): number {
  const p = process as unknown as Record<string | symbol, unknown>;
  const count = (emitter: unknown): number => {
    const c = (emitter as { count?: unknown } | undefined)?.count;
    return typeof c === 'number' ? c : 0;
  };
  return count(p['__signal_exit_emitter__']) + count(p[Symbol.for('signal-exit emitter')]);
}

function onSignal(signal: NodeJS.Signals): void {
  killAllSync();
  for (const s of FATAL_SIGNALS) process.removeListener(s, onSignal);
  installed = false;
  // If nobody but signal-exit handles the signal, restore the default behaviour (terminate) by re-raising it;
  // otherwise the remaining handlers decide (our servers are already gone either way).
  if (process.listenerCount(signal) <= signalExitListenerCount()) process.kill(process.pid, signal);
}

/**
 * Records a server started by the harness so that it is killed (and its files removed) if the test process
 * exits, or receives SIGINT/SIGTERM/SIGHUP, before the server is stopped. Installs the handlers on first use; the
 * signal handlers kill the servers and then re-raise the signal unless another (non signal-exit) handler exists.
 */
export function registerForCleanup(item: EmergencyStoppable): void {
  if (!installed) {
    installed = true;
    process.removeListener('exit', killAllSync);
    process.on('exit', killAllSync);
    for (const s of FATAL_SIGNALS) process.on(s, onSignal);
  }
  live.add(item);
}

/** Forgets a server once the harness has stopped it normally. */
export function unregisterForCleanup(item: EmergencyStoppable): void {
  live.delete(item);
}
