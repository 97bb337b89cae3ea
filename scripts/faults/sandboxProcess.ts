/*
 * The demo sandbox (examples/sandbox) for the fault matrix, in a process of its own so that a
 * cluster serving lists never stalls the process that times the entity view. Started by
 * run.ts through fork(): reports its addresses over IPC, then writes objects straight into a
 * cluster's storage when asked (as etcd holds what `kubectl apply --validate=false` let
 * through), and stops when told to or when its parent goes away. Faults go through the
 * control API, as for any other client.
 */
import path from 'node:path';
import { startSandbox } from '@ingress-atlas/sandbox';
import { runChild, stopWithParent } from '../shared/child';

export interface SandboxReady {
  type: 'ready';
  clusters: Record<
    string,
    { url: string; token: string; provider: string; region?: string }
  >;
  controlUrl: string;
}

/** Requests run.ts sends; each is answered with `{ type: 'done', id, error? }`. */
export type SandboxRequest =
  | { id: number; type: 'create'; cluster: string; objects: any[] }
  | {
      id: number;
      type: 'delete';
      cluster: string;
      object: {
        apiVersion: string;
        kind: string;
        namespace?: string;
        name: string;
      };
    };

async function main() {
  const sandbox = await startSandbox({
    estatesDir: path.resolve(__dirname, '../../examples/sandbox'),
    withCloud: false,
    basePort: 0,
  });
  const cluster = (name: string) => {
    const found = sandbox.running.find(c => c.name === name);
    if (!found) throw new Error(`No cluster ${name} in the sandbox`);
    return found;
  };
  const typeOf = (name: string, apiVersion: string, kind: string) => {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    const type = cluster(name).store.typeOfKind(group, kind);
    if (!type) throw new Error(`${name} serves no ${kind} of ${apiVersion}`);
    return type;
  };

  stopWithParent(sandbox);
  process.on('message', (message: SandboxRequest | 'stop') => {
    if (message === 'stop') return;
    let error: string | undefined;
    try {
      if (message.type === 'create') {
        for (const object of message.objects) {
          cluster(message.cluster).store.create(
            typeOf(message.cluster, object.apiVersion, object.kind),
            object,
          );
        }
      } else {
        const { apiVersion, kind, namespace = '', name } = message.object;
        cluster(message.cluster).store.delete(
          typeOf(message.cluster, apiVersion, kind),
          namespace,
          name,
        );
      }
    } catch (e) {
      error = String((e as Error)?.message ?? e);
    }
    process.send!({ type: 'done', id: message.id, error });
  });

  const ready: SandboxReady = {
    type: 'ready',
    clusters: Object.fromEntries(
      sandbox.running.map(c => [
        c.name,
        {
          url: c.url,
          token: c.token,
          provider: c.spec.provider,
          region: c.spec.region,
        },
      ]),
    ),
    controlUrl: sandbox.control.url,
  };
  return ready;
}

runChild(main);
