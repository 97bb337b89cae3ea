import type { ConnectedCluster } from '../clusters';
import { installerOf } from '@ingress-atlas/plugin-ingress-atlas-common';
import { KubeObject, listObjects, readObject } from '../kube';
import {
  EAST_WEST_GATEWAY,
  ISTIO_NAMESPACE,
  installerObjects,
  istioNamespace,
  exposeIstiod,
  exposeServices,
  primaryOperator,
} from '../istio';
import { toYaml } from '../manifests';
import { InstallState, waitForInstaller } from './installerJob';
import {
  ActionOptions,
  Preflight,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  changeOutputs,
  clusterInput,
  timeoutInput,
} from './common';
import { createAtlasAction } from './runner';
import { checkedString, flagInput, optionalInput } from './inputs';
import { examples } from './meshInstallIstiod.examples';

/** Objects in istio-system that the managed mesh (TCM) installed, if any. */
export async function tcmManagedObjects(
  cluster: ConnectedCluster,
): Promise<string[]> {
  const found: string[] = [];
  for (const kind of ['Deployment', 'Service']) {
    const objects = await listObjects(cluster, {
      apiVersion: kind === 'Service' ? 'v1' : 'apps/v1',
      kind,
      namespace: ISTIO_NAMESPACE,
    });
    for (const o of objects) {
      if (installerOf(o.metadata ?? {}) === 'tcm') {
        found.push(`${kind} ${ISTIO_NAMESPACE}/${o.metadata?.name}`);
      }
    }
  }
  return found;
}

/** A Deployment with every wanted replica Ready. */
function ready(deployment: KubeObject | undefined): boolean {
  const wanted = deployment?.spec?.replicas ?? 1;
  return (
    Boolean(deployment) &&
    (deployment!.status?.readyReplicas ?? 0) >= Math.max(wanted, 1)
  );
}

function state(deployment: KubeObject | undefined): string {
  if (!deployment) {
    return 'missing';
  }
  return ready(deployment) ? 'Ready' : 'not Ready';
}

/** istiod of the requested version and the east-west gateway, as the cluster shows them. */
async function controlPlaneState(
  cluster: ConnectedCluster,
  options: { istiod: string; tag: string },
): Promise<InstallState> {
  const deployment = (name: string) =>
    readObject(cluster, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: ISTIO_NAMESPACE,
      name,
    });
  const [istiod, eastWest] = await Promise.all([
    deployment(options.istiod),
    deployment(EAST_WEST_GATEWAY),
  ]);
  const images: string[] = (istiod?.spec?.template?.spec?.containers ?? []).map(
    (c: { image: string }) => c.image,
  );
  const version = images.some(image => image.endsWith(`:${options.tag}`));
  const done = version && ready(istiod) && ready(eastWest);
  return {
    done,
    seen: done
      ? `${options.istiod} runs ${options.tag} and is Ready, and so is ${EAST_WEST_GATEWAY}`
      : `Deployment ${options.istiod} ${
          istiod ? `${state(istiod)} with ${images.join(', ')}` : 'missing'
        }, ${EAST_WEST_GATEWAY} ${state(eastWest)}`,
  };
}

/**
 * What installing needs: credentials, an Istio version for the installer, and no other install
 * of the revision or TCM-managed mesh.
 */
async function checkInstall(
  cluster: ConnectedCluster,
  preflight: Preflight,
  options: { tag?: string; primary: KubeObject },
): Promise<void> {
  const { primary } = options;
  const name = primary.metadata!.name!;
  preflight.check(
    cluster.hasCredentials,
    `cluster ${cluster.name} has credentials`,
    `cluster ${cluster.name} has no serviceAccountToken or kubeconfigPath in ingressAtlas.clusters; leave apply off and merge the pull request instead`,
  );
  preflight.check(
    Boolean(options.tag),
    `the installer runs istioctl ${options.tag}`,
    'apply needs tag (the Istio version, e.g. 1.22.6): the installer Job runs istioctl of that version, and the step checks that istiod runs it',
  );
  // istio-system and the Istio kinds may be missing: a new cluster gets them from this install.
  const installed = await readObject(cluster, {
    apiVersion: primary.apiVersion!,
    kind: 'IstioOperator',
    namespace: ISTIO_NAMESPACE,
    name,
  });
  preflight.check(
    !installed || installed.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY,
    `no other install of this revision (IstioOperator ${name})`,
    `IstioOperator ${ISTIO_NAMESPACE}/${name} records an install this action did not make; give a revision to install side by side`,
  );
  const managed = await tcmManagedObjects(cluster);
  preflight.check(
    managed.length === 0,
    `no TCM-managed control plane on cluster ${cluster.name}`,
    `cluster ${cluster.name} runs a TCM-managed mesh (${managed.join(
      ', ',
    )}); a second control plane with another root CA cannot share its data plane. Install on a new cluster and move traffic with DNS`,
  );
}

/** The keys of Istio's plug-in CA Secret `istio-system/cacerts`. */
const PLUGGED_IN_CA_KEYS = [
  'ca-cert.pem',
  'ca-key.pem',
  'root-cert.pem',
  'cert-chain.pem',
];

const TLS_CA_KEYS = ['tls.crt', 'tls.key', 'ca.crt'];

/**
 * Which root istiod will sign with. Without `istio-system/cacerts` istiod makes a self-signed
 * root of its own, and the next control plane cannot share this one's data plane: the trap a
 * move off TCM falls into. Only the Secret's key names are read.
 */
async function checkRootCa(
  cluster: ConnectedCluster,
  preflight: Preflight,
): Promise<void> {
  let cacerts: KubeObject | undefined;
  try {
    cacerts = await readObject(cluster, {
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: ISTIO_NAMESPACE,
      name: 'cacerts',
    });
  } catch (error) {
    preflight.warn(
      `The plug-in CA was not checked: ${(error as Error).message}`,
    );
    return;
  }
  if (!cacerts) {
    preflight.warn(
      `No Secret ${ISTIO_NAMESPACE}/cacerts on cluster ${
        cluster.name
      }: istiod makes a self-signed root of its own, and a later control plane with another root cannot share this data plane (a new environment and a DNS cutover again, as leaving TCM needed). To avoid that, create ${ISTIO_NAMESPACE}/cacerts from your organisation's root before installing (Istio's plug-in CA: ${PLUGGED_IN_CA_KEYS.join(
        ', ',
      )})`,
    );
    return;
  }
  // istiod also takes the kubernetes.io/tls layout (tls.crt, tls.key, ca.crt).
  const missing = [PLUGGED_IN_CA_KEYS, TLS_CA_KEYS]
    .map(keys => keys.filter(key => !cacerts!.data?.[key]))
    .sort((a, b) => a.length - b.length)[0];
  preflight.check(
    missing.length === 0,
    `istiod signs with the plug-in CA in Secret ${ISTIO_NAMESPACE}/cacerts`,
    `Secret ${ISTIO_NAMESPACE}/cacerts lacks ${missing.join(
      ', ',
    )}: istiod needs all four to sign with a plugged-in root`,
  );
}

const README = (
  cluster: string,
  dir: string,
) => `# Istio control plane for ${cluster}

Self-managed primary with an east-west gateway on an internal CLB, in one IstioOperator.
The default \`istio-ingressgateway\` (and its public load balancer) is turned off.

1. \`istioctl install -f ${dir}/primary.yaml\`
2. \`kubectl apply -n ${ISTIO_NAMESPACE} -f ${dir}/expose-istiod.yaml -f ${dir}/expose-services.yaml\`

A cluster whose mesh is managed by TCM cannot share its data plane with this control plane
(different root CAs): install it on a new cluster and move traffic over with DNS.
`;

/**
 * Writes the IstioOperator and gateway manifests of a self-managed primary into the workspace
 * (for a pull request), and applies them when asked to.
 *
 * @public
 */
export function createMeshInstallIstiodAction(options: ActionOptions) {
  return createAtlasAction(options, {
    id: 'ingress-atlas:mesh:install-istiod',
    description:
      'Writes the IstioOperator files of a self-managed primary (external istiod, east-west gateway on an internal CLB, istiod exposed through it) into the workspace, and applies them when apply is true.',
    examples,
    schema: {
      input: {
        cluster: clusterInput,
        meshId: z =>
          checkedString(
            z,
            'dnsSubdomain',
            'values.global.meshID, shared by every cluster of the mesh',
          ),
        network: z =>
          checkedString(
            z,
            'dnsSubdomain',
            "values.global.network: this cluster's network name",
          ),
        clusterName: optionalInput(
          'dnsSubdomain',
          "values.global.multiCluster.clusterName. Default: the cluster's cloudClusterId, else its name",
        ),
        revision: optionalInput(
          'revision',
          'Control-plane revision, e.g. 1-18-5 (recommended for a side-by-side install)',
        ),
        tag: optionalInput('tag', 'Istio image tag, e.g. 1.18.5'),
        hub: optionalInput(
          'hub',
          'Image registry, e.g. a mirror in the same region',
        ),
        eastWestSubnetId: z =>
          z
            .string({
              description:
                'Subnet for the internal CLB of the east-west gateway',
            })
            .regex(/^subnet-[a-z0-9]{1,32}$/, {
              message: 'must be a subnet id such as subnet-abc123',
            })
            .optional(),
        eastWestLoadBalancerId: z =>
          z
            .string({
              description:
                'Existing internal CLB to reuse for the east-west gateway',
            })
            .regex(/^lb-[a-z0-9]{1,32}$/, {
              message: 'must be a load balancer id such as lb-abc123',
            })
            .optional(),
        path: optionalInput(
          'workspacePath',
          'Folder in the workspace for the files. Default: istio/<cluster>',
        ),
        apply: flagInput(
          'Also install on the cluster: a Job runs istioctl install of version tag with the IstioOperator, the step waits for istiod and the east-west gateway to be Ready, then applies the Gateway and VirtualService. Default: false (files only, for the repository that applies them)',
          false,
        ),
        timeoutSeconds: z => timeoutInput(z, 600),
      },
      output: {
        files: z =>
          z.array(z.string(), {
            description: 'Files written, relative to the workspace',
          }),
        applied: z =>
          z.boolean({
            description: 'Whether the manifests were applied to the cluster',
          }),
        istiodReady: z =>
          z.boolean({
            description:
              'Whether istiod and the east-west gateway of the requested version run Ready (false when apply is off or on a dry run)',
          }),
        ...changeOutputs,
      },
    },
    intent: input => `install istiod on cluster ${input.cluster}`,
    async plan(ctx, { cluster, preflight, clock }) {
      const { cluster: clusterName, meshId, network, apply } = ctx.input;
      const dir = ctx.input.path ?? `istio/${clusterName}`;
      const identity = {
        meshId,
        network,
        clusterName:
          ctx.input.clusterName ?? cluster.cloudClusterId ?? clusterName,
        revision: ctx.input.revision,
        tag: ctx.input.tag,
        hub: ctx.input.hub,
      };
      if (cluster.provider === 'tencent') {
        preflight.check(
          Boolean(
            ctx.input.eastWestSubnetId || ctx.input.eastWestLoadBalancerId,
          ),
          'the east-west gateway gets an internal CLB',
          'on TKE the east-west gateway needs eastWestSubnetId or eastWestLoadBalancerId, or it would get a public CLB',
        );
      }
      const primary = primaryOperator(identity, {
        subnetId: ctx.input.eastWestSubnetId,
        loadBalancerId: ctx.input.eastWestLoadBalancerId,
      });
      primary.metadata!.labels = { [MANAGED_BY_LABEL]: MANAGED_BY };
      const istiod = exposeIstiod(identity.revision);
      const services = exposeServices();
      const routing = [...istiod, services];
      await checkRootCa(cluster, preflight);
      if (apply) {
        await checkInstall(cluster, preflight, {
          tag: ctx.input.tag,
          primary,
        });
      }
      preflight.done();

      const files = [
        { path: `${dir}/primary.yaml`, content: toYaml([primary]) },
        { path: `${dir}/expose-istiod.yaml`, content: toYaml(istiod) },
        { path: `${dir}/expose-services.yaml`, content: toYaml([services]) },
        { path: `${dir}/README.md`, content: README(clusterName, dir) },
      ];
      const applied = apply && !ctx.isDryRun;
      const finish = () => {
        ctx.output('applied', applied);
        ctx.output('istiodReady', applied);
        if (!apply) {
          ctx.logger.info(
            `Wrote the manifests to ${dir}; apply is off, so cluster ${clusterName} was not touched. The control plane comes once the repository that applies them is merged and synced: istioctl install -f ${dir}/primary.yaml (an IstioOperator object alone installs nothing), then the Gateway and VirtualService files`,
          );
        }
      };
      const key = ['mesh.install-istiod', clusterName];
      if (!apply) {
        return {
          key,
          files,
          steps: [],
          inPlace: `the manifests in ${dir} are up to date`,
          finish,
        };
      }
      const installer = installerObjects({
        operator: primary,
        tag: ctx.input.tag!,
        hub: ctx.input.hub,
        labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
      });
      const job = installer.find(o => o.kind === 'Job')!.metadata!.name!;
      return {
        key,
        files,
        steps: [
          // Labelled with the network as Istio's multi-network install asks; the installer
          // Job runs in it, so a new cluster gets it first.
          {
            name: 'install',
            objects: [istioNamespace({ network }), ...installer],
          },
          {
            waitFor: `Job ${ISTIO_NAMESPACE}/${job} (istioctl install ${ctx.input.tag}) and for istiod to be Ready before applying the Gateway and VirtualService`,
            wait: async () => {
              await waitForInstaller(ctx, cluster, {
                job,
                timeoutSeconds: ctx.input.timeoutSeconds,
                clock,
                installed: () =>
                  controlPlaneState(cluster, {
                    istiod: identity.revision
                      ? `istiod-${identity.revision}`
                      : 'istiod',
                    tag: ctx.input.tag!,
                  }),
              });
            },
          },
          // The Gateway kinds and istiod's Service exist once istioctl has run.
          {
            name: 'routing',
            objects: routing,
            kindsFrom: `istioctl install ${ctx.input.tag}`,
          },
        ],
        inPlace: `the control plane is installed on cluster ${clusterName} and every manifest is applied`,
        finish,
      };
    },
  });
}
