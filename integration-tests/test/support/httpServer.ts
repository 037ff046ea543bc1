import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An app served on a free loopback port. */
export interface RunningServer {
  readonly server: Server;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** Drops open connections and stops listening. */
  close(): Promise<void>;
}

/** Serves `app` (an express app or any request listener) on a free loopback port. */
export async function serve(app: RequestListener): Promise<RunningServer> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
