// A loopback TCP proxy that can cut the line (every open connection dropped, new ones refused
// until it is restored) or hold the replies (what the server sends back waits until released).
// Stands in for a database that goes away, or a provider that accepted a request but has not
// answered yet, for one process only and without stopping a server other tests share.
import { createServer, connect, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every connection through the proxy; new ones are closed at once until restore(). */
  cut(): void;
  restore(): void;
  /** The server's replies wait (requests still pass) until releaseReplies(). */
  holdReplies(): void;
  releaseReplies(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  const upstreams = new Set<Socket>();
  let cut = false;
  let holding = false;
  const server = createServer((client) => {
    if (cut) return client.destroy();
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    upstreams.add(upstream);
    upstream.on('close', () => upstreams.delete(upstream));
    client.pipe(upstream);
    upstream.pipe(client);
    if (holding) upstream.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      cut = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      cut = false;
    },
    holdReplies() {
      holding = true;
      for (const upstream of upstreams) upstream.pause();
    },
    releaseReplies() {
      holding = false;
      for (const upstream of upstreams) upstream.resume();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
