import { connect } from 'node:net';

/** Whether a TCP connection to `host:port` is accepted now (it is closed at once); `false` when it is refused. */
export function acceptsConnections({ host, port }: { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
