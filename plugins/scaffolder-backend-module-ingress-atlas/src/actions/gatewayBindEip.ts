import {
  TKE,
  matchesSelector,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { ConnectedCluster } from '../clusters';
import {
  KubeObject,
  applyObject,
  createObject,
  deleteObject,
  listObjects,
  readObject,
} from '../kube';
import { diffObjects, manifestOf, toYaml } from '../manifests';
import {
  allBound,
  describeAddresses,
  eipQuota,
  podEips,
  vpcCniState,
  waitForPodEips,
} from '../tke';
import {
  ActionOptions,
  MIGRATED_FROM_ANNOTATION,
  changeOutputs,
  checkpointKey,
  clusterInput,
  gatewayInput,
  namespaceInput,
  tencentCloudOf,
  timeoutInput,
} from './common';
import { gatewayEipOutputs, gatewayEipsOf } from './gatewayEips';
import { createAtlasAction } from './runner';
import { checkedString } from './inputs';
import { examples } from './gatewayBindEip.examples';

type NetworkMode = 'tke-route-eni' | 'tke-direct-eni';
type Retire = 'delete' | 'scale-to-zero';

interface StatefulSetOptions {
  replicas: number;
  serviceName: string;
  networkMode: NetworkMode;
  eipAttributes: Record<string, string>;
  eipIds?: string[];
}

/**
 * The gateway as a StatefulSet: same labels, selector and pod template, plus what TKE needs to
 * give each pod an EIP that survives restarts (a stable pod name keeps the EIP claim).
 */
export function statefulSetFor(
  deployment: KubeObject,
  options: StatefulSetOptions,
): KubeObject {
  const { name, namespace, labels } = deployment.metadata!;
  const template = structuredClone(deployment.spec.template);
  template.metadata = template.metadata ?? {};
  template.metadata.annotations = {
    ...template.metadata.annotations,
    [TKE.networks]: options.networkMode,
    [TKE.eipAttributes]: JSON.stringify(options.eipAttributes),
    [TKE.eipClaimDeletePolicy]: 'Never',
    [TKE.vpcIpClaimDeletePolicy]: 'Never',
    ...(options.eipIds?.length && {
      [TKE.eipIdList]: options.eipIds.join(','),
    }),
  };
  const containers: KubeObject[] = template.spec.containers;
  const gateway =
    containers.find(c => c.name === 'istio-proxy') ?? containers[0];
  const eni =
    options.networkMode === 'tke-direct-eni'
      ? TKE.directEniResource
      : TKE.eniIpResource;
  const owner = (gateway.env ?? []).find(
    (e: { name: string }) => e.name === 'ISTIO_META_OWNER',
  );
  if (owner?.value) {
    owner.value = owner.value.replace('/deployments/', '/statefulsets/');
  }
  const extra = { [eni]: '1', [TKE.eipResource]: '1' };
  gateway.resources = {
    ...gateway.resources,
    requests: { ...gateway.resources?.requests, ...extra },
    limits: { ...gateway.resources?.limits, ...extra },
  };
  const { minReadySeconds, revisionHistoryLimit } = deployment.spec;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name,
      namespace,
      ...(labels && { labels }),
      annotations: { [MIGRATED_FROM_ANNOTATION]: `Deployment/${name}` },
    },
    spec: {
      replicas: options.replicas,
      serviceName: options.serviceName,
      selector: deployment.spec.selector,
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate' },
      ...(minReadySeconds !== undefined && { minReadySeconds }),
      ...(revisionHistoryLimit !== undefined && { revisionHistoryLimit }),
      template,
    },
  };
}

function isRetired(
  deployment: KubeObject | undefined,
  retire: Retire,
): boolean {
  return (
    !deployment ||
    (retire === 'scale-to-zero' && deployment.spec?.replicas === 0)
  );
}

async function retireDeployment(
  cluster: ConnectedCluster,
  deployment: KubeObject,
  retire: Retire,
  dryRun: boolean,
): Promise<void> {
  const { name, namespace } = deployment.metadata!;
  if (retire === 'delete') {
    await deleteObject(
      cluster,
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: name! },
      { dryRun },
    );
  } else {
    await applyObject(cluster, scaledToZero(deployment), { dryRun });
  }
}

/** Only the replica count: the rest of the Deployment stays as its owners left it. */
function scaledToZero(deployment: KubeObject): KubeObject {
  const { name, namespace } = deployment.metadata!;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { replicas: 0 },
  };
}

/** The Service that selects the gateway's pods: the StatefulSet's governing Service. */
async function gatewayServiceName(
  cluster: ConnectedCluster,
  deployment: KubeObject,
): Promise<string | undefined> {
  const services = await listObjects(cluster, {
    apiVersion: 'v1',
    kind: 'Service',
    namespace: deployment.metadata!.namespace,
  });
  const podLabels = deployment.spec?.template?.metadata?.labels;
  return services.find(s => matchesSelector(s.spec?.selector, podLabels))
    ?.metadata?.name;
}

/**
 * Moves an ingress gateway from a Deployment behind a CLB to a StatefulSet whose pods carry
 * their own EIPs (TKE VPC-CNI), then retires the Deployment.
 *
 * @public
 */
export function createGatewayBindEipAction(options: ActionOptions) {
  return createAtlasAction(options, {
    id: 'ingress-atlas:gateway:bind-eip',
    description:
      'Turns an ingress gateway Deployment into a StatefulSet whose pods each get an elastic IP (TKE VPC-CNI), waits for the EIPs, then retires the Deployment.',
    examples,
    schema: {
      input: {
        cluster: clusterInput,
        namespace: namespaceInput,
        gateway: gatewayInput(
          'Name of the gateway Deployment (the StatefulSet gets the same name)',
        ),
        serviceName: z =>
          checkedString(
            z,
            'dnsLabel',
            "The StatefulSet's serviceName. Default: the Service that selects the gateway pods",
          ).optional(),
        replicas: z =>
          z
            .number({
              description:
                "Pods (and so EIPs). Default: the Deployment's replicas, at least 1",
            })
            .int()
            .min(1)
            .max(20)
            .optional(),
        networkMode: z =>
          z
            .enum(['tke-route-eni', 'tke-direct-eni'], {
              description: 'VPC-CNI mode of the pods. Default: tke-route-eni',
            })
            .default('tke-route-eni'),
        bandwidthMbps: z =>
          z
            .number({ description: 'EIP bandwidth cap in Mbps. Default: 100' })
            .int()
            .min(1)
            .max(10000)
            .default(100),
        isp: z =>
          checkedString(z, 'isp', 'EIP line (ISP). Default: BGP').default(
            'BGP',
          ),
        internetChargeType: z =>
          z
            .enum(
              [
                'TRAFFIC_POSTPAID_BY_HOUR',
                'BANDWIDTH_POSTPAID_BY_HOUR',
                'BANDWIDTH_PACKAGE',
              ],
              { description: 'EIP billing. Default: the ipamd default' },
            )
            .optional(),
        eipIds: z =>
          z
            .array(
              z.string().regex(/^eip-[a-z0-9]{1,32}$/, {
                message: 'must be an EIP id such as eip-abc123',
              }),
              {
                description:
                  'Existing EIPs to reuse (one per pod) instead of allocating new ones',
              },
            )
            .optional(),
        retire: z =>
          z
            .enum(['delete', 'scale-to-zero'], {
              description:
                'What happens to the Deployment once the EIPs answer. Default: delete (its manifest is kept in the backup output)',
            })
            .default('delete'),
        timeoutSeconds: z => timeoutInput(z, 300),
      },
      output: {
        statefulSet: z =>
          z.string({ description: 'The StatefulSet, as namespace/name' }),
        ...gatewayEipOutputs,
        ...changeOutputs,
      },
    },
    intent: input =>
      `move gateway ${input.namespace}/${input.gateway} on cluster ${input.cluster} to pod EIPs`,
    async run(ctx, { cluster, preflight }) {
      const {
        cluster: clusterName,
        namespace,
        gateway,
        networkMode,
        retire,
        timeoutSeconds,
      } = ctx.input;
      const dryRun = Boolean(ctx.isDryRun);
      const cloud = tencentCloudOf(cluster);
      const key = (step: string) =>
        checkpointKey(
          'gateway.bind-eip',
          clusterName,
          namespace,
          gateway,
          step,
        );
      const target = `${namespace}/${gateway}`;

      const [deployment, existing] = await Promise.all([
        readObject(cluster, {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace,
          name: gateway,
        }),
        readObject(cluster, {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          namespace,
          name: gateway,
        }),
      ]);
      const ours =
        existing?.metadata?.annotations?.[MIGRATED_FROM_ANNOTATION] ===
        `Deployment/${gateway}`;
      const retired = isRetired(deployment, retire);

      let desired: KubeObject | undefined;
      if (!existing || !retired) {
        preflight.check(
          cluster.provider === 'tencent',
          `cluster ${clusterName} is a TKE cluster`,
          `cluster ${clusterName} is on ${cluster.provider}, and pod EIPs are a TKE feature`,
        );
        preflight.check(
          Boolean(deployment || existing),
          `Deployment ${target} found`,
          `there is no Deployment ${target} on cluster ${clusterName}`,
        );
        if (existing) {
          preflight.check(
            ours,
            `StatefulSet ${target} was created by an earlier run; it is kept`,
            `a StatefulSet ${target} exists that this action did not create (no ${MIGRATED_FROM_ANNOTATION} annotation)`,
          );
        }
        const vpcCni = await vpcCniState(cluster, cloud);
        preflight.check(
          vpcCni.enabled,
          `VPC-CNI is on (${vpcCni.evidence})`,
          `VPC-CNI is off on cluster ${clusterName} (${vpcCni.evidence}): pods cannot get ENI IPs, so they cannot get EIPs. Enable VPC-CNI for the cluster first`,
        );
        if (!existing && deployment) {
          const replicas =
            ctx.input.replicas ?? Math.max(deployment.spec?.replicas ?? 1, 1);
          const serviceName =
            ctx.input.serviceName ??
            (await gatewayServiceName(cluster, deployment));
          preflight.check(
            Boolean(serviceName),
            `StatefulSet serviceName: ${serviceName}`,
            `no Service in ${namespace} selects the pods of Deployment ${target}; set serviceName`,
          );
          if (ctx.input.eipIds) {
            preflight.check(
              ctx.input.eipIds.length === replicas,
              `reusing EIPs ${ctx.input.eipIds.join(', ')}`,
              `eipIds lists ${ctx.input.eipIds.length} EIPs for ${replicas} pods`,
            );
          } else if (cloud && cluster.region) {
            const quota = await eipQuota(cloud, cluster.region);
            if (quota.available === undefined) {
              preflight.warn(
                `EIP quota not checked (${quota.evidence}); an exhausted quota shows as FailedAllocateEIP events on the pods`,
              );
            } else {
              preflight.check(
                quota.available >= replicas,
                `EIP quota allows ${replicas} more (${quota.evidence})`,
                `the EIP quota allows ${quota.available} more EIPs in ${cluster.region} and ${replicas} are needed (${quota.evidence})`,
              );
            }
          } else {
            preflight.warn(
              `EIP quota not checked: no Tencent Cloud account covers region ${
                cluster.region ?? '(unset)'
              } of cluster ${clusterName}`,
            );
          }
          if (
            deployment.metadata?.labels?.[
              'install.operator.istio.io/owning-resource'
            ] === 'tcm'
          ) {
            preflight.warn(
              `TCM manages Deployment ${target}: it may recreate it after it is retired. Remove the gateway from the mesh's TCM configuration, or move the mesh off TCM`,
            );
          }
          const service = serviceName
            ? await readObject(cluster, {
                apiVersion: 'v1',
                kind: 'Service',
                namespace,
                name: serviceName,
              })
            : undefined;
          const remapped = (service?.spec?.ports ?? []).filter(
            (p: { port: number; targetPort?: number | string }) =>
              p.targetPort !== undefined && p.targetPort !== p.port,
          );
          if (remapped.length > 0) {
            preflight.warn(
              `Clients of a pod EIP reach container ports directly, but Service ${namespace}/${serviceName} maps ${remapped
                .map(
                  (p: { port: number; targetPort: number | string }) =>
                    `${p.port}->${p.targetPort}`,
                )
                .join(
                  ', ',
                )}: the gateway must listen on the public ports (or clients use the container ports) before DNS moves to the EIPs`,
            );
          }
          desired = statefulSetFor(deployment, {
            replicas,
            serviceName: serviceName ?? gateway,
            networkMode,
            eipAttributes: {
              Bandwidth: String(ctx.input.bandwidthMbps),
              ISP: ctx.input.isp,
              ...(ctx.input.internetChargeType && {
                InternetChargeType: ctx.input.internetChargeType,
              }),
            },
            eipIds: ctx.input.eipIds,
          });
        }
      }
      preflight.done();

      const diff = [
        desired ? diffObjects(undefined, desired) : '',
        deployment && !retired
          ? diffObjects(
              deployment,
              retire === 'delete' ? undefined : scaledToZero(deployment),
            )
          : '',
      ]
        .filter(Boolean)
        .join('\n');
      ctx.output('statefulSet', target);
      ctx.output('diff', diff);

      if (dryRun) {
        if (desired) {
          await createObject(cluster, desired, { dryRun: true });
        }
        if (deployment && !retired) {
          await retireDeployment(cluster, deployment, retire, true);
        }
        ctx.logger.info(
          diff
            ? `Dry run: the API server of ${clusterName} accepted every change with dryRun=All; nothing was changed`
            : `Dry run: nothing to change`,
          { cluster: clusterName, namespace, gateway },
        );
        ctx.output('publicIps', []);
        ctx.output('addresses', []);
        ctx.output('changed', false);
        ctx.output('backup', '');
        return;
      }

      const backup = await ctx.checkpoint({
        key: key('backup'),
        fn: async () =>
          deployment && !retired ? toYaml([manifestOf(deployment)]) : '',
      });
      ctx.output('backup', backup);

      if (desired) {
        const statefulSet = desired;
        await ctx.checkpoint({
          key: key('create-statefulset'),
          fn: async () => {
            await createObject(cluster, statefulSet, { dryRun: false });
            ctx.logger.info(`Created StatefulSet ${target}`, {
              cluster: clusterName,
              replicas: statefulSet.spec.replicas,
            });
          },
        });
      }
      const statefulSet = (existing ?? desired)!;
      let eips = await podEips(cluster, statefulSet);
      if (!allBound(statefulSet, eips)) {
        eips = await waitForPodEips(cluster, statefulSet, {
          timeoutSeconds,
          logger: ctx.logger,
          signal: ctx.signal,
        });
      }
      const publicIps = eips.map(e => e.ip!);
      ctx.logger.info(`Gateway pods have their EIPs: ${publicIps.join(', ')}`, {
        cluster: clusterName,
        statefulSet: target,
      });

      if (deployment && !retired) {
        await ctx.checkpoint({
          key: key('retire-deployment'),
          fn: async () => {
            await retireDeployment(cluster, deployment, retire, false);
            ctx.logger.info(
              retire === 'delete'
                ? `Deleted Deployment ${target}; its manifest is in the backup output`
                : `Scaled Deployment ${target} to 0 replicas`,
              { cluster: clusterName },
            );
          },
        });
      }

      const addresses =
        cloud && cluster.region
          ? await describeAddresses(cloud, cluster.region, publicIps)
          : [];
      ctx.output('publicIps', publicIps);
      ctx.output('addresses', gatewayEipsOf(eips, addresses));
      const changed = Boolean(desired) || Boolean(backup);
      ctx.output('changed', changed);
      if (!changed) {
        ctx.logger.info(
          `Nothing to change: ${target} already runs as a StatefulSet with pod EIPs ${publicIps.join(
            ', ',
          )}`,
          { cluster: clusterName },
        );
      }
    },
  });
}
