import type { Config } from '@backstage/config';
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

/**
 * A prober reached over HTTP: `GET <url>?address=<ip>&port=<n>` answers
 * `{ "reachable": boolean, "detail": string }`. For adopters whose backend has no route to the
 * internet (an external prober, a synthetic-monitoring service), and for the sandbox, whose
 * control API answers from its own state so that no probe leaves the machine. Redirects are
 * not followed; any other answer counts as not reachable, with the reason.
 *
 * @public
 */
export function httpProbe(url: string, timeoutMs = 10000): ReachabilityProbe {
  return async ({ address, port }) => {
    const target = new URL(url);
    target.searchParams.set('address', address);
    target.searchParams.set('port', String(port));
    try {
      const response = await fetch(target, {
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) {
        return {
          reachable: false,
          detail: `the prober answered HTTP ${response.status}`,
        };
      }
      const body = (await response.json()) as {
        reachable?: unknown;
        detail?: unknown;
      };
      return {
        reachable: body.reachable === true,
        detail:
          typeof body.detail === 'string'
            ? body.detail
            : 'the prober gave no detail',
      };
    } catch (error) {
      return {
        reachable: false,
        detail: `the prober could not be asked: ${(error as Error).message}`,
      };
    }
  };
}

/**
 * The probe `ingressAtlas.reachability.probeUrl` names, if any; throws at startup naming the
 * key when the value is not an http(s) URL.
 */
export function reachabilityProbeFromConfig(
  config: Config,
): ReachabilityProbe | undefined {
  const key = 'ingressAtlas.reachability.probeUrl';
  const url = config.getOptionalString(key);
  if (url === undefined) {
    return undefined;
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
    throw new Error(`${key} must be an http or https URL`);
  }
  return httpProbe(url);
}
