import path from 'node:path';
import type {
  ClusterDescriptor,
  ClusterInventory,
  KubeObject,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { normalised, servedByOneSide } from './atlas';
import {
  CorpusFile,
  analyze,
  corpusFiles,
  inferProvider,
  KubeCollector,
  readObjects,
  toInventory,
} from './corpus';
import { FIELD_MANAGER, refOf } from './estateOnServer';
import {
  CRDS,
  KubeClient,
  RealCluster,
  describe as describeBody,
  eventually,
  realServerAvailable,
} from './realCluster';

const NOW = '2026-12-01T00:00:00Z';

/**
 * What a real Kubernetes 1.36 API server refuses of the corpus, and why: a user cannot have
 * these objects in a live cluster, so only the rest of the file is compared.
 */
const REFUSED_BY_KUBERNETES_1_36: Record<string, string> = {
  'istio-api/analyzer-gateway-custom-ingressgateway.yaml Pod my-ingressgateway-1234':
    "Istio's analyzer test data: a Pod without an image",
  'istio-api/analyzer-gateway-custom-ingressgateway.yaml Service my-ingressgateway':
    "Istio's analyzer test data: a nodePort on a ClusterIP Service",
  'list-dumps/istio-deploymentconfig-multi.yaml DeploymentConfig hello':
    'an OpenShift kind, not served by Kubernetes',
  'tencent/ccm-deployment-v1.16.yaml ClusterRole system:cloud-controller-manager':
    'rbac.authorization.k8s.io/v1beta1, no longer served since Kubernetes 1.22',
  'tencent/ccm-deployment-v1.16.yaml ClusterRoleBinding system:cloud-controller-manager':
    'rbac.authorization.k8s.io/v1beta1, no longer served since Kubernetes 1.22',
  'tencent/ccm-deployment-v1.16.yaml Secret kube-system/tencentcloud-cloud-controller-manager-config':
    'placeholders where the base64 of the account keys goes',
  'tencent/ccm-deployment.yaml Secret kube-system/tencentcloud-cloud-controller-manager-config':
    'placeholders where the base64 of the account keys goes',
  'tencent/ccm-deployment.yaml Deployment kube-system/tencentcloud-cloud-controller-manager':
    'extensions/v1beta1, no longer served since Kubernetes 1.16',
};

/** The metadata a server sets: a dump carries it, a create must not. */
function asCreated(object: KubeObject): KubeObject {
  const {
    uid: _uid,
    resourceVersion: _rv,
    creationTimestamp: _ct,
    generation: _g,
    managedFields: _mf,
    selfLink: _sl,
    ownerReferences: _or,
    ...metadata
  } = object.metadata as KubeObject['metadata'] & Record<string, unknown>;
  return { ...object, metadata } as KubeObject;
}

interface Applied {
  applied: KubeObject[];
  refused: Array<{ object: string; status: number; message: string }>;
}

async function applyFile(
  client: KubeClient,
  objects: KubeObject[],
): Promise<Applied> {
  const result: Applied = { applied: [], refused: [] };
  const namespaces = new Set<string>();
  for (const object of objects) {
    const created = asCreated(object);
    let resource;
    try {
      resource = await client.resource(created.apiVersion!, created.kind!);
    } catch (error) {
      result.refused.push({
        object: refOf(object),
        status: 404,
        message: String((error as Error).message),
      });
      continue;
    }
    if (resource.namespaced) {
      const namespace = created.metadata.namespace ?? 'default';
      if (!namespaces.has(namespace)) {
        namespaces.add(namespace);
        await client.apply(
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: namespace },
          },
          `${FIELD_MANAGER}-namespaces`,
        );
      }
    }
    const existed =
      (await client.request('GET', await client.pathOf(created))).status ===
      200;
    const { status, body } = await client.apply(created, FIELD_MANAGER);
    if (status >= 300) {
      result.refused.push({
        object: refOf(object),
        status,
        message: describeBody(body),
      });
      continue;
    }
    if (created.status && Object.keys(created.status).length) {
      await client.applyStatus(created, FIELD_MANAGER);
    }
    if (!existed) result.applied.push(created);
    else if (created.kind === 'Namespace') {
      // Applied over an existing one: its labels and annotations go again afterwards.
      result.applied.push(created);
    }
  }
  return result;
}

/**
 * Takes a file's objects out again, with what controllers made of them, so the next file
 * starts from the same empty cluster. Namespaces stay (deleting one takes the namespace
 * controller seconds), without the labels and annotations a file gave them.
 */
async function removeFile(
  client: KubeClient,
  { applied }: Applied,
  collect: () => Promise<ClusterInventory>,
  baseline: Set<string>,
) {
  for (const object of [...applied].reverse()) {
    const objectPath = await client.pathOf(object);
    if (object.kind === 'Namespace') {
      await client.apply(
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: object.metadata.name },
        },
        FIELD_MANAGER,
      );
      continue;
    }
    await client.request('DELETE', objectPath, {
      propagationPolicy: 'Background',
    });
  }
  await eventually('the cluster to be as empty as before', async () => {
    const left = objectsIn(await collect()).filter(
      o => !baseline.has(o) && !o.startsWith('namespaces '),
    );
    if (left.length) throw new Error(`left: ${left.join(', ')}`);
    return true;
  });
}

/** What the atlas reads of a cluster, as `kind namespace/name`. */
function objectsIn(inventory: ClusterInventory): string[] {
  return Object.entries(inventory.objects).flatMap(([kind, list]) =>
    (list ?? []).map(
      (o: any) => `${kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`,
    ),
  );
}

/**
 * The conformance corpus — real manifests from public projects — applied to a real API server
 * (with its controller manager), read back live by the collector, gives the atlas the same
 * model as the same objects read offline from the file.
 */
(realServerAvailable() ? describe : describe.skip)(
  'the conformance corpus live on a real API server and offline',
  () => {
    let cluster: RealCluster;
    let files: CorpusFile[];
    let baseline: Set<string>;
    const collector = KubeCollector.create();

    const descriptorFor = (
      corpus: CorpusFile,
      objects: KubeObject[],
    ): ClusterDescriptor => ({
      name: 'corpus',
      source: 'config',
      provider: corpus.expectations.provider ?? inferProvider(objects),
      url: cluster.info.server,
    });

    const collect = async (descriptor: ClusterDescriptor) =>
      (
        await collector.collect(
          {
            descriptor,
            auth: { token: cluster.info.adminToken, caData: cluster.caData },
          },
          { signal: AbortSignal.timeout(30_000), now: () => new Date(NOW) },
        )
      ).inventory;

    beforeAll(async () => {
      files = await corpusFiles();
      cluster = await RealCluster.start({
        name: 'corpus',
        serviceCidr: '10.96.0.0/12',
        crds: [path.join(CRDS, 'istio'), path.join(CRDS, 'gateway-api')],
      });
      baseline = new Set(
        objectsIn(
          await collect({
            name: 'corpus',
            source: 'config',
            provider: 'generic',
            url: cluster.info.server,
          }),
        ),
      );
    }, 120_000);

    afterAll(() => cluster?.stop(), 30_000);

    it('covers every file of the corpus', () => {
      expect(files.length).toBeGreaterThanOrEqual(60);
    });

    it('gives the same model live as offline, file by file', async () => {
      const differing: string[] = [];
      const refusedSeen = new Set<string>();
      let acceptedObjects = 0;
      let withConclusions = 0;
      for (const corpus of files) {
        const name = path.relative(
          path.dirname(path.dirname(corpus.file)),
          corpus.file,
        );
        const objects = await readObjects([corpus.file]);
        const descriptor = descriptorFor(corpus, objects);
        const result = await applyFile(cluster.admin, objects);
        try {
          const unexpected = result.refused.filter(
            r => !REFUSED_BY_KUBERNETES_1_36[`${name} ${r.object}`],
          );
          if (unexpected.length) {
            differing.push(`${name}: refused ${JSON.stringify(unexpected)}`);
            continue;
          }
          result.refused.forEach(r => refusedSeen.add(`${name} ${r.object}`));
          acceptedObjects += objects.length - result.refused.length;
          const refused = new Set(result.refused.map(r => r.object));
          const live = await collect(descriptor);
          const offline = toInventory(
            objects.filter(o => !refused.has(refOf(o))),
            { ...descriptor, source: 'manifests' },
            new Date(NOW).toISOString(),
          ).inventory;
          const oneSide = servedByOneSide(live, offline);
          const model = (inventory: ClusterInventory) =>
            sayingOneThing(
              normalised(analyze({ clusters: [inventory], now: NOW }), oneSide),
            );
          const liveModel = model(live);
          if (
            liveModel.entries.length +
            liveModel.gateways.length +
            liveModel.routes.length
          ) {
            withConclusions++;
          }
          const a = JSON.stringify(liveModel, null, 1);
          const b = JSON.stringify(model(offline), null, 1);
          if (a !== b) differing.push(`${name}:\n${diffLines(b, a)}`);
        } finally {
          await removeFile(
            cluster.admin,
            result,
            () => collect(descriptor),
            baseline,
          );
        }
      }
      expect(differing).toEqual([]);
      // Every refusal listed above still happens, and the comparison is not of empty pictures.
      expect([...refusedSeen].sort()).toEqual(
        Object.keys(REFUSED_BY_KUBERNETES_1_36).sort(),
      );
      expect(acceptedObjects).toBeGreaterThan(150);
      expect(withConclusions).toBeGreaterThan(50);
    }, 900_000);
  },
);

/**
 * Without what the engine says differently on purpose of a live cluster and of files: where
 * the clusters came from, and a Gateway whose workload is not in the input (it may be in
 * another file offline; live, it does not exist).
 */
function sayingOneThing(model: any) {
  return {
    ...model,
    clusters: model.clusters.map(({ source: _s, ...c }: any) => c),
    findings: model.findings
      .map((f: any) =>
        f.code === 'GATEWAY_SELECTOR_NO_WORKLOAD'
          ? { ...f, severity: undefined, message: undefined, fix: undefined }
          : f,
      )
      // Findings are listed by severity, which this finding does not keep.
      .sort((x: any, y: any) => (x.id < y.id ? -1 : 1)),
  };
}

/** The lines only one side has, offline `-` and live `+`. */
function diffLines(offline: string, live: string): string {
  const a = offline.split('\n');
  const b = live.split('\n');
  const inA = new Set(a);
  const inB = new Set(b);
  return [
    ...a.filter(l => !inB.has(l)).map(l => `- ${l}`),
    ...b.filter(l => !inA.has(l)).map(l => `+ ${l}`),
  ]
    .slice(0, 40)
    .join('\n');
}
