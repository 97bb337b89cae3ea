import { Sandbox, startSandbox } from '@ingress-atlas/sandbox';
import { sandboxAtlasConfig } from '@ingress-atlas/sandbox/testUtils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  GUEST_AUTH,
  RunningBackend,
  freePort,
  guestToken,
  sqliteBackend,
  startBackend,
} from '../../../scripts/bench/backend';

jest.setTimeout(300_000);

const SANDBOX = path.resolve(__dirname, '../../../examples/sandbox');

/** dns:cutover's log line as it waits out the record's old TTL, with the seconds left. */
const OLD_TTL_WAIT = /info: Waiting (\d+)s for resolvers to drop the 45s TTL/;

/** A log message without the colours the task log carries. */
const plain = (message = '') => message.replace(/\u001b\[[0-9;]*m/g, '');

/** A task's event as the scaffolder's REST API lists it. */
interface TaskEvent {
  type: string;
  body: { message?: string; stepId?: string; status?: string };
  createdAt: string;
}

/**
 * A migration interrupted by a crash of the backend (kill -9, no shutdown hook) resumes when
 * the backend comes back on the same database: the scaffolder's task recovery starts the
 * task again, and the atlas's actions find their finished steps in the task's checkpoints.
 * The backend runs as the portal runs it (packages/backend, app-config.yaml and
 * app-config.sandbox.yaml), on the sandbox, with its databases in SQLite files.
 */
describe('a migration interrupted by a backend crash', () => {
  let sandbox: Sandbox;
  let backend: RunningBackend | undefined;
  let token: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-recovery-'));
  let start: () => Promise<RunningBackend>;

  beforeAll(async () => {
    // Resolvers cache blog.example.com for 45 s: the cutover waits that long after lowering
    // the TTL, long enough to crash the backend in the middle of the wait and start it again.
    // istioctl install runs for 20 s in an installer Job, as a real one takes a while: long
    // enough to crash the backend while the move off TCM waits for it.
    sandbox = await startSandbox({
      estatesDir: SANDBOX,
      clusters: ['tke-blog', 'tke-next', 'tke-next-remote'],
      basePort: 0,
      dnsTtl: 45,
      installerSeconds: 20,
    });
    const port = await freePort();
    const configFile = path.join(dir, 'app-config.recovery.yaml');
    // JSON is YAML too.
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        backend: sqliteBackend(port, {
          directory: path.join(dir, 'sqlite'),
        }),
        auth: GUEST_AUTH,
        // A task whose backend stopped sending heartbeats for 2 s is taken up again.
        scaffolder: { taskRecovery: { enabled: true, staleTimeout: { seconds: 2 } } },
        ...sandboxAtlasConfig(sandbox),
      }),
      { mode: 0o600 },
    );
    let run = 0;
    start = async () => {
      run += 1;
      backend = await startBackend({
        port,
        configFile,
        logFile: path.join(dir, `backend-${run}.log`),
      });
      return backend;
    };
    token = await guestToken((await start()).url);
    // The catalog reads the templates shortly after the start.
    await waitUntil(async () => {
      const res = await fetch(
        `${backend!.url}/api/catalog/entities/by-name/template/default/move-gateway-to-pod-eip`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      return res.ok;
    }, 60_000);
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${backend!.url}/api/scaffolder/v2${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      throw new Error(`${method} ${url}: HTTP ${res.status} ${await res.text()}`);
    }
    return res.json();
  };
  const events = async (taskId: string): Promise<TaskEvent[]> =>
    api('GET', `/tasks/${taskId}/events`);
  const waitForEvent = async (
    taskId: string,
    test: (event: TaskEvent) => boolean,
    what: string,
    timeoutMs = 120_000,
  ) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await events(taskId)).find(test);
      if (found) return found;
      if (Date.now() > deadline) {
        const log = (await events(taskId))
          .map(e => `${e.type} ${e.body.stepId ?? ''} ${plain(e.body.message ?? e.body.status)}`)
          .join('\n');
        throw new Error(`No ${what} within ${timeoutMs} ms; the task said:\n${log}`);
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  };

  /**
   * Crashes the backend (kill -9, no shutdown hook) and starts it again on the same database;
   * answers the task's log once the recovered task has succeeded, and the messages from its
   * recovery on.
   */
  const crashAndRecover = async (id: string) => {
    process.kill(backend!.pid, 'SIGKILL');
    await waitUntil(() => backend!.exited());
    await backend!.stop();
    await start();
    await waitForEvent(id, e => e.type === 'recovered', 'recovery of the task');
    const done = await waitForEvent(
      id,
      e => e.type === 'completion',
      'the end of the task',
    );
    expect(done.body.message).toMatch(/succeeded|completed/i);
    const log = await events(id);
    const resumed = log
      .slice(log.findIndex(e => e.type === 'recovered'))
      .map(e => plain(e.body.message));
    return { log, resumed };
  };

  /** What a repeated change would show: EIPs, DNS records and the workloads' spec generations. */
  const world = async () => {
    const cluster = sandbox.running.find(c => c.name === 'tke-blog')!;
    const get = (p: string) =>
      fetch(`${cluster.url}${p}`, {
        headers: { authorization: `Bearer ${cluster.token}` },
      }).then(res => res.json());
    const [statefulSet, deployment] = await Promise.all([
      get('/apis/apps/v1/namespaces/istio-system/statefulsets/istio-ingressgateway'),
      get('/apis/apps/v1/namespaces/istio-system/deployments/istio-ingressgateway'),
    ]);
    const state = sandbox.cloud!.state;
    return {
      // Every EIP TKE allocated for a pod, bound or not.
      eips: state.regions['ap-guangzhou'].Addresses.filter(a =>
        a.TagSet.some(t => t.Key === 'tke-created-eip'),
      )
        .map(a => a.AddressId)
        .sort(),
      records: state.domains['example.com']
        .filter(r => r.Name === 'blog')
        .map(r => `${r.RecordId} ${r.Value} ${r.TTL}`)
        .sort(),
      statefulSetGeneration: statefulSet.metadata?.generation,
      deploymentGeneration: deployment.metadata?.generation,
    };
  };

  it('resumes the pod-EIP move where it was, without repeating a change', async () => {
    const { id } = await api('POST', '/tasks', {
      templateRef: 'template:default/move-gateway-to-pod-eip',
      values: {
        cluster: 'tke-blog',
        namespace: 'istio-system',
        gateway: 'istio-ingressgateway',
        replicas: 2,
        bandwidthMbps: 10,
        dnsDomain: 'example.com',
        dnsSubDomain: 'blog',
        ttl: 5,
        // The backend has no route to the documentation addresses the sandbox hands out.
        checkReachability: false,
      },
    });

    // The pods hold their EIPs, DNS's TTL is lowered, and the cutover waits out the old one.
    await waitForEvent(
      id,
      e => e.body.stepId === 'dns' && OLD_TTL_WAIT.test(plain(e.body.message)),
      "the cutover's wait for the old TTL",
    );
    const before = await world();
    expect(before.eips).toHaveLength(2);
    expect(before.records).toEqual(['1101 198.51.100.11 5']);
    const { log } = await crashAndRecover(id);

    const after = await world();
    // No EIP allocated again, no second rollout of the StatefulSet or the old Deployment.
    expect(after.eips).toEqual(before.eips);
    expect(after.statefulSetGeneration).toBe(before.statefulSetGeneration);
    expect(after.deploymentGeneration).toBe(before.deploymentGeneration);
    // The record moved to the EIPs once, with the TTL of the move.
    expect(after.records).toHaveLength(2);
    expect(after.records.every(r => r.endsWith(' 5'))).toBe(true);
    // The TTL was lowered once, before the crash; each record was written once, after it.
    const writes = log
      .map(e => plain(e.body.message))
      .filter(m => /info: Record .*\(TTL 5\)$/.test(m))
      .map(m => m.replace(/^.*info: /, ''));
    expect(writes).toEqual([
      'Record blog.example.com 198.51.100.11: modify (TTL 5)',
      expect.stringMatching(/^Record 1101 of blog.example.com: 198.51.100.11 -> /),
      expect.stringMatching(/^Record blog.example.com [\d.]+: create \(TTL 5\)$/),
    ]);
    expect(log.findIndex(e => e.type === 'recovered')).toBeGreaterThan(
      log.findIndex(e => /modify \(TTL 5\)/.test(plain(e.body.message))),
    );
    // After the restart, the wait went on with what was left of it, not 45 s again.
    const resumed = log.slice(log.findIndex(e => e.type === 'recovered'));
    const waits = resumed
      .filter(e => e.body.stepId === 'dns')
      .map(e => OLD_TTL_WAIT.exec(plain(e.body.message))?.[1])
      .filter(Boolean)
      .map(Number);
    expect(waits).toEqual([expect.any(Number)]);
    expect(waits[0]).toBeLessThan(45);
  });

  it('resumes the move off TCM while istioctl install runs, without a second install', async () => {
    const next = sandbox.running.find(c => c.name === 'tke-next')!;
    const get = (p: string) =>
      fetch(`${next.url}${p}`, {
        headers: { authorization: `Bearer ${next.token}` },
      }).then(res => res.json());
    const installers = async () =>
      ((await get('/apis/batch/v1/namespaces/istio-system/jobs')).items ?? []).map(
        (job: any) => `${job.metadata.name} ${job.metadata.uid}`,
      );
    const { id } = await api('POST', '/tasks', {
      templateRef: 'template:default/migrate-tcm-to-istiod',
      values: {
        cluster: 'tke-blog',
        meshId: 'mesh-blog0001',
        targetCluster: 'tke-next',
        network: 'net-primary',
        istioVersion: '1.18.5',
        eastWestSubnetId: 'subnet-gz000012',
        apply: true,
        pullRequest: false,
      },
    });

    // The installer Job is created and runs; the step waits for it.
    await waitForEvent(
      id,
      e =>
        e.body.stepId === 'istiod' &&
        /info: Waiting for Job istio-system\/istio-install-/.test(
          plain(e.body.message),
        ),
      "the wait for the installer Job",
    );
    const before = await installers();
    expect(before).toHaveLength(1);
    const namespaceUid = (await get('/api/v1/namespaces/istio-system')).metadata
      .uid;
    const { resumed } = await crashAndRecover(id);

    // One install: the same Job, the namespace created once; the resumed task created neither
    // again, waited for the Job it had started, then exposed istiod.
    expect(await installers()).toEqual(before);
    expect((await get('/api/v1/namespaces/istio-system')).metadata.uid).toBe(
      namespaceUid,
    );
    expect(resumed.filter(m => /Created (Job|Namespace)/.test(m))).toEqual([]);
    expect(resumed).toContainEqual(
      expect.stringMatching(/istiod runs 1\.18\.5 and is Ready/),
    );
    expect(resumed).toContainEqual(
      expect.stringMatching(/Created Gateway istio-system\/istiod-gateway/),
    );
    const istiod = await get('/apis/apps/v1/namespaces/istio-system/deployments/istiod');
    expect(istiod.status.readyReplicas).toBe(istiod.spec.replicas);
  });

  it('resumes joining a remote while istioctl installs its remote profile, then writes the remote secret once', async () => {
    // The primary installed by the previous test.
    const [primary, member] = ['tke-next', 'tke-next-remote'].map(
      name => sandbox.running.find(c => c.name === name)!,
    );
    const get = (cluster: typeof primary, p: string) =>
      fetch(`${cluster.url}${p}`, {
        headers: { authorization: `Bearer ${cluster.token}` },
      }).then(res => res.json());
    const installers = async () =>
      (
        (await get(member, '/apis/batch/v1/namespaces/istio-system/jobs'))
          .items ?? []
      ).map((job: any) => `${job.metadata.name} ${job.metadata.uid}`);
    const remoteSecret = () =>
      get(
        primary,
        '/api/v1/namespaces/istio-system/secrets/istio-remote-secret-cls-next0002',
      );
    const { id } = await api('POST', '/tasks', {
      templateRef: 'template:default/join-remote-cluster',
      values: {
        cluster: 'tke-next-remote',
        primaryCluster: 'tke-next',
        meshId: 'mesh-blog0001',
        network: 'net-remote',
        apply: true,
      },
    });

    await waitForEvent(
      id,
      e =>
        e.body.stepId === 'join' &&
        /info: Waiting for Job istio-system\/istio-install-.*remote profile/.test(
          plain(e.body.message),
        ),
      "the wait for the member's installer Job",
    );
    const before = await installers();
    expect(before).toHaveLength(1);
    // The secret comes after the install: not there yet.
    expect((await remoteSecret()).code).toBe(404);
    const { resumed } = await crashAndRecover(id);

    expect(await installers()).toEqual(before);
    expect(resumed.filter(m => /Created (Job|Namespace)/.test(m))).toEqual([]);
    expect(
      resumed.filter(m =>
        /Created Secret istio-system\/istio-remote-secret-cls-next0002/.test(m),
      ),
    ).toHaveLength(1);
    expect((await remoteSecret()).metadata.labels).toEqual({
      'istio/multiCluster': 'true',
    });
  });
});

async function waitUntil(
  test: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
