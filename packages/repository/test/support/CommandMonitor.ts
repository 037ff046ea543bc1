import type { RedisConnection } from '@lapse/repository/internal';
import type { Redis } from 'ioredis';

/**
 * Records, through Redis MONITOR, the commands one connection sends (either client library,
 * through lapse's seam). `take` flushes: it sends an ECHO marker on the watched connection and
 * waits until MONITOR shows it, so everything sent before is recorded (no sleeping).
 */
export class CommandMonitor {
  readonly commands: string[][] = [];
  #monitor: Redis | undefined;
  #source = '';
  #markerSeen: ((marker: string) => void) | undefined;

  static async watch(admin: Redis, watched: RedisConnection): Promise<CommandMonitor> {
    const recorder = new CommandMonitor();
    // MONITOR names a command's source by the connection's address, as CLIENT INFO does.
    const info = String(await watched.send('CLIENT', ['INFO']));
    const address = /(?:^| )addr=(\S+)/.exec(info)?.[1];
    if (address === undefined) throw new Error(`CLIENT INFO gave no addr: ${info}`);
    recorder.#source = address;
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
  async take(watched: RedisConnection): Promise<string[][]> {
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
    await watched.send('ECHO', [marker]);
    await seen;
    return this.commands.splice(0);
  }

  stop(): void {
    this.#monitor?.disconnect();
  }
}
