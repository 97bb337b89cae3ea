import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clbActions } from './actions/clb';
import { dnspodActions } from './actions/dnspod';
import { monitorActions } from './actions/monitor';
import { tcmActions } from './actions/tcm';
import { tkeActions } from './actions/tke';
import type { ActionHandler } from './actions/types';
import { vpcActions } from './actions/vpc';
import { createSandboxCloud } from './cloud';
import { TencentApiError } from './errors';
import { TencentFaults } from './faults';
import type { SandboxCloud } from './SandboxCloud';
import { TencentCredential, verifyTc3Signature } from './signature';
import { TencentState } from './state';

export type { SandboxCloud } from './SandboxCloud';
export type { TencentCredential } from './signature';
export { TencentFaults, type FaultMatch } from './faults';
export { TencentState } from './state';
export { addApiProxyEndpoint } from './apiProxyEndpoint';

/** Actions per API version, as the gateway routes X-TC-Version + X-TC-Action. */
const ACTIONS_BY_VERSION: Record<
  string,
  { service: string; actions: Record<string, ActionHandler> }
> = {
  '2018-03-17': { service: 'clb', actions: clbActions },
  '2017-03-12': { service: 'vpc', actions: vpcActions },
  '2018-05-25': { service: 'tke', actions: tkeActions },
  '2021-04-13': { service: 'tcm', actions: tcmActions },
  '2021-03-23': { service: 'dnspod', actions: dnspodActions },
  '2018-07-24': { service: 'monitor', actions: monitorActions },
};

export interface TencentCloudServer {
  /** e.g. `http://127.0.0.1:6480`. */
  url: string;
  /** What the simulated TKE controller changes in the cloud. */
  cloud: SandboxCloud;
  faults: TencentFaults;
  /** The live state, for tests that need more than the seed. */
  state: TencentState;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A local Tencent Cloud API: TC3-signed POST requests for CLB, VPC, TKE, TCM, DNSPod and
 * Cloud Monitor actions, answered from one in-memory state loaded from a seed file.
 */
export async function startTencentCloudServer(options: {
  port?: number;
  seedFile: string;
  credentials: TencentCredential[];
}): Promise<TencentCloudServer> {
  const state = TencentState.fromFile(options.seedFile);
  const faults = new TencentFaults();

  async function answer(
    req: IncomingMessage,
    requestId: string,
  ): Promise<{ status: number; body?: object }> {
    const body = await readBody(req);
    const action = header(req, 'x-tc-action') ?? '';
    const version = header(req, 'x-tc-version') ?? '';
    const region = header(req, 'x-tc-region') || undefined;

    const outcome = await faults.apply({ action, region });
    if (outcome.kind === 'http-error') {
      return { status: outcome.status };
    }

    verifyTc3Signature({
      method: req.method ?? '',
      url: req.url ?? '/',
      headers: req.headers,
      body,
      credentials: options.credentials,
    });
    if (outcome.kind === 'throttle') {
      throw new TencentApiError(
        'RequestLimitExceeded',
        'Your current request times equals to `20` in a second.',
      );
    }
    if (
      req.method !== 'POST' ||
      !/^application\/json/.test(header(req, 'content-type') ?? '')
    ) {
      throw new TencentApiError(
        'InvalidParameter',
        'The stand-in accepts POST requests with a JSON body only.',
      );
    }
    const api = ACTIONS_BY_VERSION[version];
    if (!api) {
      throw new TencentApiError(
        'NoSuchVersion',
        `The API version \`${version}\` does not exist.`,
      );
    }
    const handler = Object.hasOwn(api.actions, action)
      ? api.actions[action]
      : undefined;
    if (!handler) {
      throw new TencentApiError(
        'InvalidAction',
        `The action \`${action}\` does not exist for ${api.service}.`,
      );
    }
    let params: Record<string, any>;
    try {
      params = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      throw new TencentApiError(
        'InvalidParameter',
        'The request body is not valid JSON.',
      );
    }
    return { status: 200, body: handler({ state, region, params, requestId }) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const requestId = randomUUID();
    let status = 200;
    let response: object | undefined;
    try {
      const result = await answer(req, requestId);
      status = result.status;
      response = result.body && { ...result.body, RequestId: requestId };
    } catch (error) {
      const { code, message } =
        error instanceof TencentApiError
          ? error
          : { code: 'InternalError', message: String(error) };
      // API errors travel with HTTP 200, as the real gateway sends them.
      response = {
        Error: { Code: code, Message: message },
        RequestId: requestId,
      };
    }
    const traceId = header(req, 'x-tc-traceid');
    res.writeHead(status, {
      'Content-Type': response ? 'application/json' : 'text/plain',
      ...(traceId ? { 'X-TC-TraceId': traceId } : {}),
    });
    res.end(
      response ? JSON.stringify({ Response: response }) : 'Service Unavailable',
    );
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    cloud: createSandboxCloud(state),
    faults,
    state,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(error => (error ? reject(error) : resolve()));
      }),
  };
}
