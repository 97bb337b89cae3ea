import type { ConnectedCluster } from '../clusters';
import { listObjects, readObject } from '../kube';
import {
  ISTIO_NAMESPACE,
  exposeIstiod,
  exposeServices,
  primaryOperator,
} from '../istio';
import { toYaml } from '../manifests';
import {
  applyPlans,
  checkKindsServed,
  planBackup,
  planDiff,
  planObjects,
} from './applyObjects';
import {
  ActionOptions,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  changeOutputs,
  clusterInput,
} from './common';
import { createAtlasAction } from './runner';
import { checkedString } from './inputs';
import { examples } from './meshInstallIstiod.examples';
import { writeWorkspaceFiles } from './workspace';

/** The label Istio's installer puts on what it installs; TCM installs carry the value `tcm`. */
const OWNING_RESOURCE = 'install.operator.istio.io/owning-resource';

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
      const metadata = o.metadata ?? {};
      if (
        metadata.labels?.[OWNING_RESOURCE] === 'tcm' ||
        metadata.annotations?.[OWNING_RESOURCE] === 'tcm'
      ) {
        found.push(`${kind} ${ISTIO_NAMESPACE}/${metadata.name}`);
      }
    }
  }
  return found;
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
        clusterName: z =>
          checkedString(
            z,
            'dnsSubdomain',
            "values.global.multiCluster.clusterName. Default: the cluster's cloudClusterId, else its name",
          ).optional(),
        revision: z =>
          checkedString(
            z,
            'revision',
            'Control-plane revision, e.g. 1-18-5 (recommended for a side-by-side install)',
          ).optional(),
        tag: z =>
          checkedString(z, 'tag', 'Istio image tag, e.g. 1.18.5').optional(),
        hub: z =>
          checkedString(
            z,
            'hub',
            'Image registry, e.g. a mirror in the same region',
          ).optional(),
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
        path: z =>
          checkedString(
            z,
            'workspacePath',
            'Folder in the workspace for the files. Default: istio/<cluster>',
          ).optional(),
        apply: z =>
          z
            .boolean({
              description:
                'Also apply the manifests to the cluster. Default: false (files only)',
            })
            .default(false),
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
        ...changeOutputs,
      },
    },
    intent: input => `install istiod on cluster ${input.cluster}`,
    async run(ctx, { cluster, preflight }) {
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
      const objects = [primary, ...istiod, services];

      if (apply) {
        preflight.check(
          cluster.hasCredentials,
          `cluster ${clusterName} has credentials`,
          `cluster ${clusterName} has no serviceAccountToken or kubeconfigPath in ingressAtlas.clusters; leave apply off and merge the pull request instead`,
        );
        await checkKindsServed(cluster, objects, preflight);
        const namespace = await readObject(cluster, {
          apiVersion: 'v1',
          kind: 'Namespace',
          name: ISTIO_NAMESPACE,
        });
        preflight.check(
          Boolean(namespace),
          `namespace ${ISTIO_NAMESPACE} exists`,
          `namespace ${ISTIO_NAMESPACE} does not exist on cluster ${clusterName}`,
        );
        const installed = await readObject(cluster, {
          apiVersion: primary.apiVersion!,
          kind: 'IstioOperator',
          namespace: ISTIO_NAMESPACE,
          name: primary.metadata!.name!,
        });
        preflight.check(
          !installed ||
            installed.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY,
          `no other install of this revision (IstioOperator ${primary.metadata!.name})`,
          `IstioOperator ${ISTIO_NAMESPACE}/${
            primary.metadata!.name
          } records an install this action did not make; give a revision to install side by side`,
        );
        const managed = await tcmManagedObjects(cluster);
        preflight.check(
          managed.length === 0,
          `no TCM-managed control plane on cluster ${clusterName}`,
          `cluster ${clusterName} runs a TCM-managed mesh (${managed.join(
            ', ',
          )}); a second control plane with another root CA cannot share its data plane. Install on a new cluster and move traffic with DNS`,
        );
      }
      preflight.done();

      const files = await writeWorkspaceFiles(
        ctx.workspacePath,
        [
          { path: `${dir}/primary.yaml`, content: toYaml([primary]) },
          { path: `${dir}/expose-istiod.yaml`, content: toYaml(istiod) },
          { path: `${dir}/expose-services.yaml`, content: toYaml([services]) },
          { path: `${dir}/README.md`, content: README(clusterName, dir) },
        ],
        ctx.logger,
      );
      ctx.output(
        'files',
        files.map(f => f.path),
      );
      const filesChanged = files.some(f => f.status !== 'unchanged');

      if (!apply) {
        ctx.output('applied', false);
        ctx.output('diff', '');
        ctx.output('backup', '');
        ctx.output('changed', filesChanged);
        ctx.logger.info(
          `Wrote the manifests to ${dir}; apply is off, so cluster ${clusterName} was not touched`,
        );
        return;
      }

      const plans = await planObjects(cluster, objects);
      const pending = plans.filter(p => p.action !== 'unchanged');
      ctx.output('diff', planDiff(plans));
      const keyPrefix = ['mesh.install-istiod', clusterName];
      ctx.output('backup', await planBackup(ctx, plans, keyPrefix));
      await applyPlans(ctx, cluster, plans, keyPrefix);
      ctx.output('applied', !ctx.isDryRun);
      ctx.output(
        'changed',
        !ctx.isDryRun && (filesChanged || pending.length > 0),
      );
      if (pending.length === 0) {
        ctx.logger.info(
          `Nothing to change on cluster ${clusterName}: every manifest is applied`,
        );
      }
    },
  });
}
