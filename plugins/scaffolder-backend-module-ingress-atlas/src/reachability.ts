import { Socket } from 'node:net';

/**
 * Answers whether `address:port` accepts connections. The default opens a TCP connection;
 * adopters behind an egress proxy, or without a route to the internet, plug in their own
 * (an external prober, a synthetic-monitoring API).
 *
 * @public
 */
export type ReachabilityProbe = (target: {
  address: string;
  port: number;
}) => Promise<{ reachable: boolean; detail: string }>;

/** @public */
export function tcpProbe(timeoutMs = 5000): ReachabilityProbe {
  return ({ address, port }) =>
    new Promise(resolve => {
      const socket = new Socket();
      const done = (reachable: boolean, detail: string) => {
        socket.destroy();
        resolve({ reachable, detail });
      };
      socket.setTimeout(timeoutMs);
      socket.once('connect', () => done(true, 'TCP connection accepted'));
      socket.once('timeout', () =>
        done(false, `no answer within ${timeoutMs} ms`),
      );
      socket.once('error', error => done(false, error.message));
      socket.connect(port, address);
    });
}
