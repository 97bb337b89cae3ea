import type { ClusterSpec } from '../estate';
import { RunningCluster, startCluster } from '../kube/startCluster';

const spec: ClusterSpec = {
  name: 'installer-test',
  port: 0,
  provider: 'generic',
  region: 'test',
  podCidr: '10.0.64.0/24',
  serviceCidr: '172.18.0.0/22',
  nodes: [{ name: 'node-1', internalIp: '10.0.0.21' }],
};

const OPERATOR = `apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  name: primary
  namespace: istio-system
spec:
  tag: 1.18.5
  components:
    ingressGateways:
      - name: istio-ingressgateway
        enabled: false
`;

/** What mesh:install-istiod creates: the operator in a ConfigMap, a Job running istioctl on it. */
const installer = [
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'istio-system' },
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'operator', namespace: 'istio-system' },
    data: { 'istio-operator.yaml': OPERATOR },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'istio-install', namespace: 'istio-system' },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'istioctl',
              image: 'docker.io/istio/istioctl:1.18.5',
              args: [
                'install',
                '-y',
                '-f',
                '/etc/installer/istio-operator.yaml',
              ],
              volumeMounts: [{ name: 'operator', mountPath: '/etc/installer' }],
            },
          ],
          volumes: [{ name: 'operator', configMap: { name: 'operator' } }],
        },
      },
    },
  },
];

describe('the installer Jobs the sandbox plays', () => {
  let cluster: RunningCluster;

  afterEach(() => cluster?.stop());

  const post = async (path: string, body: object) => {
    const response = await fetch(`${cluster.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${cluster.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
  };
  const get = async (path: string) => {
    const response = await fetch(`${cluster.url}${path}`, {
      headers: { authorization: `Bearer ${cluster.token}` },
    });
    return { status: response.status, body: await response.json() };
  };
  const createInstaller = async () => {
    const [namespace, configMap, job] = installer;
    await post('/api/v1/namespaces', namespace);
    await post('/api/v1/namespaces/istio-system/configmaps', configMap);
    await post('/apis/batch/v1/namespaces/istio-system/jobs', job);
  };
  const job = () =>
    get('/apis/batch/v1/namespaces/istio-system/jobs/istio-install');
  const istiod = () =>
    get('/apis/apps/v1/namespaces/istio-system/deployments/istiod');

  it('runs istioctl install for as long as it is told to, the Job active meanwhile', async () => {
    cluster = await startCluster({ spec, objects: [], installerMs: 1500 });
    await createInstaller();

    // Running: the Job is active and nothing is installed yet.
    expect((await job()).body.status).toMatchObject({ active: 1 });
    expect((await istiod()).status).toBe(404);

    // Done once its time has passed, with no other write to wake the controller. Its timer
    // fires at 1.5 s; a busy machine may run it late, so the Job is polled for, up to 10 s.
    const until = Date.now() + 10_000;
    while (!(await job()).body.status?.succeeded && Date.now() < until) {
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect((await job()).body.status).toMatchObject({ succeeded: 1 });
    expect((await istiod()).body.spec.template.spec.containers[0].image).toBe(
      'docker.io/istio/pilot:1.18.5',
    );
  });

  it('completes the Job at once by default', async () => {
    cluster = await startCluster({ spec, objects: [] });
    await createInstaller();
    expect((await job()).body.status).toMatchObject({ succeeded: 1 });
    expect((await istiod()).status).toBe(200);
  });
});
