import type { Redis } from 'ioredis';
import type { TestClient } from './storeClient.js';

/**
 * Records, through Redis MONITOR, the commands one client (of any library: it is found by the
 * address `CLIENT INFO` gives) sends. `take` flushes: it sends an ECHO marker through the
 * watched client and waits until MONITOR shows it (no sleeping).
 */
export class ClientCommandMonitor {
  readonly commands: string[][] = [];
  #monitor: Redis | undefined;
  #source = '';
  #markerSeen: ((marker: string) => void) | undefined;

  static async watch(admin: Redis, watched: TestClient): Promise<ClientCommandMonitor> {
    const recorder = new ClientCommandMonitor();
    const info = String(await watched.send(['CLIENT', 'INFO']));
    recorder.#source = /(?:^| )addr=(\S+)/.exec(info)?.[1] ?? '';
    const monitor = await admin.monitor();
    recorder.#monitor = monitor;
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source !== recorder.#source) return;
      if (args[0]?.toLowerCase() === 'echo' && args[1]?.startsWith('lapse-marker-')) {
        recorder.#markerSeen?.(args[1]);
        return;
      }
      recorder.commands.push(args);
    });
    return recorder;
  }

  /** Waits until every command `watched` sent so far has been recorded, then returns and clears them. */
  async take(watched: TestClient): Promise<string[][]> {
    const marker = `lapse-marker-${Math.random()}`;
    const seen = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('MONITOR did not show the marker within 5 s')), 5000);
      this.#markerSeen = (m) => {
        if (m === marker) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    await watched.send(['ECHO', marker]);
    await seen;
    return this.commands.splice(0);
  }

  stop(): void {
    this.#monitor?.disconnect();
  }
}
