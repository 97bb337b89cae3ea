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
import type { ChangeStep } from './steps';
import { checkedString, flagInput, optionalInput } from './inputs';
import { checkRootCa, planCaCopy } from './rootCa';
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
 * What installing needs: an Istio version for the installer, and no other install
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

const README = (
  cluster: string,
  dir: string,
  rootCa?: string,
) => `# Istio control plane for ${cluster}

Self-managed primary with an east-west gateway on an internal CLB, in one IstioOperator.
The default \`istio-ingressgateway\` (and its public load balancer) is turned off.
${
  rootCa
    ? `
istiod signs with the organisation's root ${rootCa}: its plug-in CA is copied to the
cluster's \`${ISTIO_NAMESPACE}/cacerts\` Secret, never into these files.
`
    : ''
}
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
        caSecretCluster: optionalInput(
          'configName',
          "To plug in your organisation's root: the cluster (from ingressAtlas.clusters) with a Secret holding Istio's plug-in CA (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem), e.g. a platform cluster or an earlier self-managed primary. It is copied to istio-system/cacerts before istiod is installed, so istiod signs with that root and not a self-signed one of its own; copied even when apply is off, since key material never goes into the files. Default: no copy",
        ),
        caSecretNamespace: z =>
          checkedString(
            z,
            'dnsLabel',
            'Namespace of the plug-in CA Secret on caSecretCluster. Default: istio-system',
          ).default('istio-system'),
        caSecretName: z =>
          checkedString(
            z,
            'dnsSubdomain',
            'Name of the plug-in CA Secret on caSecretCluster. Default: cacerts',
          ).default('cacerts'),
        replaceCacerts: flagInput(
          'Replace an istio-system/cacerts on the cluster that holds another CA with the one of caSecretCluster, its values kept in a backup Secret beside it first. Workloads with certificates of the old root cannot reach those of the new one until they restart. Default: false (such a Secret is refused)',
          false,
        ),
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
        rootCa: z =>
          z
            .string({
              description:
                'With caSecretCluster: the root istiod signs with, by subject, SHA-256 fingerprint and expiry',
            })
            .optional(),
        ...changeOutputs,
      },
    },
    clusterFields: ['caSecretCluster'],
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
      const caSource = ctx.input.caSecretCluster && {
        cluster: ctx.input.caSecretCluster,
        namespace: ctx.input.caSecretNamespace,
        name: ctx.input.caSecretName,
      };
      const caCopy = caSource
        ? await planCaCopy(options.clusters, cluster, preflight, {
            source: caSource,
            replace: ctx.input.replaceCacerts,
            now: clock.now(),
            logger: ctx.logger,
          })
        : undefined;
      if (!caSource) {
        await checkRootCa(cluster, preflight);
      }
      if (apply || caCopy?.secret) {
        preflight.check(
          cluster.hasCredentials,
          `cluster ${clusterName} has credentials`,
          `cluster ${clusterName} has no serviceAccountToken or kubeconfigPath in ingressAtlas.clusters; ${
            apply
              ? 'leave apply off and merge the pull request instead'
              : `the plug-in CA is copied onto the cluster, never into the files: give it credentials, or create ${ISTIO_NAMESPACE}/cacerts there yourself`
          }`,
        );
      }
      if (apply) {
        await checkInstall(cluster, preflight, {
          tag: ctx.input.tag,
          primary,
        });
      }
      preflight.done();
      if (caCopy?.root) {
        ctx.output('rootCa', caCopy.root);
      }
      // Labelled with the network as Istio's multi-network install asks; the installer Job (and
      // the plug-in CA) go in it, so a new cluster gets it first.
      const namespace = istioNamespace({ network });
      // Before istiod starts: one that starts without istio-system/cacerts makes a root of its own.
      const rootCaSteps: ChangeStep[] = caCopy?.secret
        ? [
            {
              name: 'root-ca',
              objects: [namespace, caCopy.secret],
              call: caCopy.removeStaleKeys,
            },
          ]
        : [];
      if (caCopy?.secret && caSource) {
        ctx.logger.info(
          `${
            ctx.isDryRun ? 'Dry run: a real run would copy' : 'Copying'
          } the plug-in CA of Secret ${caSource.namespace}/${
            caSource.name
          } on cluster ${caSource.cluster} (keys ${Object.keys(
            caCopy.secret.data,
          ).join(
            ', ',
          )}) to ${ISTIO_NAMESPACE}/cacerts on cluster ${clusterName}${
            apply ? ' before istiod is installed' : ''
          }`,
        );
      }

      const files = [
        { path: `${dir}/primary.yaml`, content: toYaml([primary]) },
        { path: `${dir}/expose-istiod.yaml`, content: toYaml(istiod) },
        { path: `${dir}/expose-services.yaml`, content: toYaml([services]) },
        {
          path: `${dir}/README.md`,
          content: README(clusterName, dir, caCopy?.root),
        },
      ];
      const applied = apply && !ctx.isDryRun;
      const finish = () => {
        ctx.output('applied', applied);
        ctx.output('istiodReady', applied);
        if (!apply) {
          ctx.logger.info(
            `Wrote the manifests to ${dir}; apply is off, so ${
              rootCaSteps.length > 0
                ? `only the plug-in CA ${
                    ctx.isDryRun ? 'would go' : 'went'
                  } onto cluster ${clusterName}`
                : `cluster ${clusterName} was not touched`
            }. The control plane comes once the repository that applies them is merged and synced: istioctl install -f ${dir}/primary.yaml (an IstioOperator object alone installs nothing), then the Gateway and VirtualService files`,
          );
        }
      };
      const key = ['mesh.install-istiod', clusterName];
      if (!apply) {
        return {
          key,
          files,
          steps: rootCaSteps,
          inPlace: `the manifests in ${dir} are up to date${
            caCopy?.root ? ' and the plug-in CA is in place' : ''
          }`,
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
          ...rootCaSteps,
          {
            name: 'install',
            objects:
              rootCaSteps.length > 0 ? installer : [namespace, ...installer],
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
