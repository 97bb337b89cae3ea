import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { RunningCluster, readManifests } from '@ingress-atlas/sandbox';
import {
  SandboxAtlas,
  startSandboxAtlas,
} from '@ingress-atlas/sandbox/testUtils';
import ingressAtlasPlugin from '@ingress-atlas/plugin-ingress-atlas-backend';

jest.setTimeout(180_000);

const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * Objects Kubernetes stores when schema validation is skipped (`kubectl apply --validate=false`,
 * CRDs that preserve unknown fields), each with the field at fault. The first seven stopped the
 * whole analysis with a TypeError; the others were read wrongly or not at all, without a word.
 */
const MALFORMED = [
  {
    case: 'Ingress rules as a string',
    object: ingress('rules-string', { rules: 'a.example.com' }),
    field: 'spec.rules',
  },
  {
    case: 'Ingress paths as a string',
    object: ingress('paths-string', {
      rules: [{ host: 'a.example.com', http: { paths: '/' } }],
    }),
    field: 'spec.rules[0].http.paths',
  },
  {
    case: 'Service ports as a string',
    object: service('ports-string', {
      spec: { type: 'LoadBalancer', ports: '80' },
    }),
    field: 'spec.ports',
  },
  {
    case: 'Service status.loadBalancer.ingress as a string',
    object: service('lb-ingress-string', {
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
      status: { loadBalancer: { ingress: '192.0.2.99' } },
    }),
    field: 'status.loadBalancer.ingress',
  },
  {
    case: 'VirtualService hosts as a number',
    object: virtualService('hosts-number', { hosts: 7, gateways: ['gw'] }),
    field: 'spec.hosts',
  },
  {
    case: 'VirtualService http as an object',
    object: virtualService('http-object', {
      hosts: ['a.example.com'],
      gateways: ['gw'],
      http: { route: [{ destination: { host: 'web' } }] },
    }),
    field: 'spec.http',
  },
  {
    case: 'HTTPRoute parentRefs as a string',
    object: httpRoute('parentrefs-string', { parentRefs: 'gw' }),
    field: 'spec.parentRefs',
  },
  {
    case: 'Ingress tls as a string',
    object: ingress('tls-string', { tls: 'a-tls', rules: [] }),
    field: 'spec.tls',
  },
  {
    case: 'HTTPRoute hostnames as a string',
    object: httpRoute('hostnames-string', {
      parentRefs: [{ name: 'gw' }],
      hostnames: 'a.example.com',
    }),
    field: 'spec.hostnames',
  },
  {
    case: 'HTTPRoute rules as a string',
    object: httpRoute('route-rules-string', {
      parentRefs: [{ name: 'gw' }],
      rules: 'web',
    }),
    field: 'spec.rules',
  },
  {
    case: 'VirtualService gateways as a string',
    object: virtualService('gateways-string', {
      hosts: ['a.example.com'],
      gateways: 'gw',
    }),
    field: 'spec.gateways',
  },
  {
    case: 'Service externalIPs as a string',
    object: service('external-ips-string', {
      spec: { externalIPs: '192.0.2.98', ports: [{ port: 80 }] },
    }),
    field: 'spec.externalIPs',
  },
  {
    case: 'Deployment container ports as a string',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'container-ports-string', namespace: 'shop' },
      spec: {
        selector: { matchLabels: { app: 'x' } },
        template: {
          metadata: { labels: { app: 'x' } },
          spec: { containers: [{ name: 'x', image: 'x', ports: '8080' }] },
        },
      },
    },
    field: 'spec.template.spec.containers[0].ports',
  },
  {
    case: 'HTTPRoute parentRefs with an empty entry',
    object: httpRoute('empty-parent-ref', { parentRefs: [null] }),
    field: 'spec.parentRefs[0]',
  },
  {
    case: 'Pod owner reference without a name',
    object: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'owner-without-name',
        namespace: 'shop',
        ownerReferences: [{ kind: 'ReplicaSet' }],
      },
      spec: { containers: [{ name: 'x', image: 'x' }] },
    },
    field: 'metadata.ownerReferences[0].name',
  },
  {
    case: 'Secret certificate as a number',
    object: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'certificate-number', namespace: 'shop' },
      type: 'kubernetes.io/tls',
      stringData: { 'tls.crt': 5 },
    },
    field: 'stringData.tls.crt',
  },
  {
    case: 'Istio Gateway servers as a string',
    object: {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'servers-string', namespace: 'shop' },
      spec: { selector: { istio: 'ingressgateway' }, servers: 'a.example.com' },
    },
    field: 'spec.servers',
  },
];

function service(name: string, body: object) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'shop' },
    ...body,
  };
}

function ingress(name: string, spec: object) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'shop' },
    spec,
  };
}

function virtualService(name: string, spec: object) {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace: 'shop' },
    spec,
  };
}

function httpRoute(name: string, spec: object) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'shop' },
    spec,
  };
}

/**
 * Well-formed as a Kubernetes object, yet the analysis used to stop on it: a front proxy's Envoy
 * bootstrap whose listeners are not a list. Any input the engine trips over would do; this one
 * stands for those not yet known.
 */
const UNANALYSABLE = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'front-proxy-config', namespace: 'shop' },
  data: { 'envoy.yaml': 'static_resources:\n  listeners: 5 # tcp_proxy\n' },
};

/** A well-formed neighbour of every malformed object: a public web Service and its route. */
const WELL_FORMED = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      },
    },
  },
  service('web', {
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'web' },
      ports: [{ port: 80 }],
    },
    status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } },
  }),
  ingress('web', {
    rules: [
      {
        host: 'web.example.com',
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: 'web', port: { number: 80 } } },
            },
          ],
        },
      },
    ],
  }),
];

/** Runs the CLI exactly as `yarn ingress-atlas` does (the root package.json script). */
function cli(...args: string[]) {
  const script: string = require(path.join(REPO_ROOT, 'package.json')).scripts[
    'ingress-atlas'
  ];
  const [, ...scriptArgs] = script.split(' ');
  const result = spawnSync(process.execPath, [...scriptArgs, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('one malformed object', () => {
  describe('in manifests: ingress-atlas analyze -f', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-malformed-'));
    });
    afterAll(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it.each(MALFORMED)(
      '$case: is left out with a finding naming it and $field; the rest is analysed',
      async ({ object, field }) => {
        const cluster = object.metadata.name;
        const folder = path.join(dir, cluster);
        await fs.mkdir(folder, { recursive: true });
        await fs.writeFile(
          path.join(folder, 'all.json'),
          JSON.stringify({
            apiVersion: 'v1',
            kind: 'List',
            items: [...WELL_FORMED, object],
          }),
        );

        const { code, stdout, stderr } = cli(
          'analyze',
          '-f',
          folder,
          '-o',
          'json',
          '--fail-on',
          'none',
        );

        expect(stderr).not.toMatch(
          /TypeError|is not a function|is not iterable|Cannot read propert/,
        );
        expect(code).toBe(0);
        const model: AtlasModel = JSON.parse(stdout);
        const malformed = model.findings.filter(
          f => f.code === 'MALFORMED_OBJECT',
        );
        expect(malformed).toHaveLength(1);
        expect(malformed[0].message).toContain(
          `${object.kind} shop/${object.metadata.name}`,
        );
        expect(malformed[0].message).toContain(field);
        expect(malformed[0].objects[0]).toMatchObject({
          kind: object.kind,
          namespace: 'shop',
          name: object.metadata.name,
          cluster,
        });
        expect(model.entries.map(e => e.id)).toContain(
          `entry:${cluster}/load-balancer/shop/web`,
        );
        expect(model.routes.map(r => r.id)).toContain(
          `route:${cluster}/Ingress/shop/web`,
        );
      },
    );

    it('says in words which cluster could not be analysed, and exits as for bad input', async () => {
      const folder = path.join(dir, 'unanalysable');
      await fs.mkdir(folder, { recursive: true });
      await fs.writeFile(
        path.join(folder, 'all.json'),
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [...WELL_FORMED, UNANALYSABLE],
        }),
      );

      const { code, stderr } = cli(
        'analyze',
        '-f',
        folder,
        '--fail-on',
        'none',
      );

      expect(stderr).toMatch(
        /^Error: cluster unanalysable: The atlas could not analyse this cluster's objects/m,
      );
      expect(code).toBe(65);
    });
  });

  describe('in a live cluster', () => {
    let atlas: SandboxAtlas;
    let edge: RunningCluster;
    const typeOf = (object: any) =>
      edge.store.typeOfKind(
        object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '',
        object.kind,
      )!;

    // Straight into the API server's storage, as etcd holds what skipped validation.
    const store = (object: any) => edge.store.create(typeOf(object), object);

    beforeAll(async () => {
      // Without the cloud module: what is read from the clusters is what is at stake here.
      atlas = await startSandboxAtlas({ features: [ingressAtlasPlugin] });
      edge = atlas.sandbox.running.find(c => c.name === 'edge')!;
      store(WELL_FORMED[0]);
      // HTTPRoutes exist only on clusters with the Gateway API CRDs, which edge's estate does not declare.
      readManifests(path.join(REPO_ROOT, 'test/kube/crds/gateway-api')).forEach(
        store,
      );
    });
    afterAll(async () => {
      await atlas?.stop();
    });

    it('skips each one with a finding naming it and the field, and analyses everything else', async () => {
      const before = await atlas.get('/exposures');
      const { clusters: clustersBefore } = await atlas.get('/clusters');
      MALFORMED.forEach(({ object }) => store(object));

      await atlas.refresh();

      const { clusters } = await atlas.get('/clusters');
      expect(
        clusters.map((c: any) => [c.name, c.status, c.analysisError]),
      ).toEqual(clustersBefore.map((c: any) => [c.name, 'ok', undefined]));
      for (const cluster of clusters) {
        const earlier = clustersBefore.find(
          (c: any) => c.name === cluster.name,
        );
        expect(Date.parse(cluster.collectedAt)).toBeGreaterThan(
          Date.parse(earlier.collectedAt),
        );
      }
      const { findings } = await atlas.get('/findings?cluster=edge');
      for (const { object, field } of MALFORMED) {
        const found = findings.filter(
          (f: any) =>
            f.code === 'MALFORMED_OBJECT' &&
            f.objects[0].kind === object.kind &&
            f.objects[0].name === object.metadata.name,
        );
        expect(found).toHaveLength(1);
        expect(found[0].message).toContain(
          `${object.kind} shop/${object.metadata.name} in edge`,
        );
        expect(found[0].message).toContain(field);
      }
      // The rest of edge, and the other clusters, look as they did.
      const after = await atlas.get('/exposures');
      for (const part of ['paths', 'entries', 'gateways', 'routes'] as const) {
        expect(after[part].map((x: any) => x.id).sort()).toEqual(
          before[part].map((x: any) => x.id).sort(),
        );
      }
    });

    it('shows a cluster whose objects stop the analysis as failed, and still publishes the others', async () => {
      const { clusters: clustersBefore } = await atlas.get('/clusters');
      const before = await atlas.get('/exposures');
      store(UNANALYSABLE);
      try {
        await atlas.refresh();

        const { clusters } = await atlas.get('/clusters');
        const failed = clusters.find((c: any) => c.name === 'edge');
        expect(failed).toMatchObject({ status: 'error' });
        expect(failed.analysisError).toMatch(
          /^The atlas could not analyse this cluster's objects, so nothing from it is shown/,
        );
        for (const cluster of clusters.filter((c: any) => c.name !== 'edge')) {
          const earlier = clustersBefore.find(
            (c: any) => c.name === cluster.name,
          );
          expect(cluster.status).toBe('ok');
          expect(Date.parse(cluster.collectedAt)).toBeGreaterThan(
            Date.parse(earlier.collectedAt),
          );
        }
        const after = await atlas.get('/exposures');
        const ids = (model: any, keep: (cluster: string) => boolean) =>
          model.paths
            .filter((p: any) => keep(p.cluster))
            .map((p: any) => p.id)
            .sort();
        expect(ids(after, c => c === 'edge')).toEqual([]);
        expect(ids(after, c => c !== 'edge')).toEqual(
          ids(before, c => c !== 'edge'),
        );
      } finally {
        edge.store.delete(
          typeOf(UNANALYSABLE),
          'shop',
          UNANALYSABLE.metadata.name,
        );
      }
    });
  });
});
