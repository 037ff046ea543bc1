import type { Cluster, Redis } from 'ioredis';

/** What lapse needs of a connection's socket: Node's `Writable` corking. */
interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * Most commands of lapse's in one write. One write per tick made Node and Redis take turns
 * (Redis idle while Node prepared a whole tick's commands, then Node idle while Redis ran
 * them); writing every 16 calls (a find is two commands, EXISTS and HGETALL; a save one) lets
 * them overlap: in `pnpm bench`'s request at concurrency 64, 16 calls per write ran about 30%
 * faster than one write per tick (8 to 32 calls measured alike). The adapter sees commands,
 * not calls: 32 commands are 16 finds or 32 saves, inside that range.
 */
const COMMANDS_PER_WRITE = 32;

/**
 * Sends the commands lapse issues on a connection within one tick in one socket write.
 *
 * ioredis writes each command with its own `socket.write`, one system call each; at
 * concurrency 64 in `pnpm bench` those writes were 38% of the Node process's CPU time, and
 * Redis paid a read per command too. ioredis's own `enableAutoPipelining` keeps one batch in
 * flight per connection, so under load commands wait for the previous batch's replies (it
 * measured slower). So lapse corks the socket before its first command of a tick and uncorks it
 * when the tick's callbacks and promise reactions have run (`process.nextTick` runs after
 * them): Node then writes everything queued, including the application's own commands of that
 * tick, with one `writev` per {@link COMMANDS_PER_WRITE} commands. Nothing is held longer than the
 * current tick. On a Cluster, every node's socket is corked the same way.
 */
export class SocketCorking {
  readonly #corked = new Set<Corkable>();
  #sent = 0;
  readonly #flush = (): void => {
    for (const socket of this.#corked) socket.uncork();
    this.#corked.clear();
    this.#sent = 0;
  };

  constructor(private readonly client: Redis | Cluster) {}

  /** Called before a command is sent: corks the connection's socket(s) until the tick ends. */
  beforeSend(): void {
    if (++this.#sent > COMMANDS_PER_WRITE) {
      // Let Redis start on these while the rest of the tick's commands are prepared.
      this.#sent = 1;
      for (const socket of this.#corked) {
        socket.uncork();
        socket.cork();
      }
    }
    const wasIdle = this.#corked.size === 0;
    if (this.client.isCluster) {
      // Every node's socket was corked at the tick's first command: walk the nodes once a tick.
      if (!wasIdle) return;
      for (const node of (this.client as Cluster).nodes()) this.#cork(node.stream);
    } else {
      this.#cork((this.client as Redis).stream);
    }
    if (wasIdle && this.#corked.size > 0) process.nextTick(this.#flush);
  }

  #cork(socket: Partial<Corkable> | undefined): void {
    if (socket === undefined || typeof socket.cork !== 'function' || typeof socket.uncork !== 'function') return;
    const corkable = socket as Corkable;
    if (this.#corked.has(corkable)) return;
    corkable.cork();
    this.#corked.add(corkable);
  }
}
