import {
  PriceCatalogue,
  TKE,
  matchesSelector,
  resourceMonthlyCost,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { ConnectedCluster } from '../clusters';
import { KubeObject, deleteObject, readObject, sleep } from '../kube';
import { diffObjects, manifestOf, toYaml } from '../manifests';
import { tcpProbe } from '../reachability';
import { TencentCloud, describeTencentError } from '../tencent';
import { podEips } from '../tke';
import {
  ActionOptions,
  DEFAULT_GATEWAY,
  changeOutputs,
  checkpointKey,
  clusterInput,
  namespaceInput,
  tencentCloudOf,
  timeoutInput,
} from './common';
import { checkGatewayEips } from './gatewayEips';
import { createAtlasAction } from './runner';
import { checkedString } from './inputs';
import { examples } from './gatewayRemoveLb.examples';

interface LoadBalancerFacts {
  id?: string;
  /** TKE deletes the CLB with the Service only when it created it. */
  deletedWithService: boolean;
  monthlySavingCny: number;
  warnings: string[];
}

/** The CLB behind a Service, and whether deleting the Service deletes (and stops paying for) it. */
async function loadBalancerFacts(
  cluster: ConnectedCluster,
  cloud: TencentCloud | undefined,
  service: KubeObject,
  prices: PriceCatalogue,
): Promise<LoadBalancerFacts> {
  const annotations: Record<string, string> =
    service.metadata?.annotations ?? {};
  const reused = annotations[TKE.existedLbId];
  const id = annotations[TKE.loadBalancerId] ?? reused;
  const vip: string | undefined =
    service.status?.loadBalancer?.ingress?.[0]?.ip;
  const warnings: string[] = [];
  let facts: { id?: string; createdByTke: boolean } = {
    id,
    createdByTke: !reused,
  };
  if (cloud && cluster.region) {
    try {
      const { LoadBalancerSet = [] } = await cloud
        .clb(cluster.region)
        .DescribeLoadBalancers(
          id
            ? { LoadBalancerIds: [id] }
            : { LoadBalancerVips: vip ? [vip] : [] },
        );
      const lb = LoadBalancerSet[0];
      if (lb) {
        facts = {
          id: lb.LoadBalancerId,
          createdByTke:
            !reused &&
            (lb.Tags ?? []).some(
              t => t.TagKey === 'tke-createdBy-flag' && t.TagValue === 'yes',
            ),
        };
      }
    } catch (error) {
      warnings.push(
        `DescribeLoadBalancers failed: ${describeTencentError(error)}`,
      );
    }
  }
  if (reused) {
    warnings.push(
      `CLB ${reused} is attached through ${TKE.existedLbId}: deleting the Service does not delete it, and it keeps billing until you delete it yourself`,
    );
  } else if (facts.id && !facts.createdByTke) {
    warnings.push(
      `CLB ${facts.id} has no tke-createdBy-flag=yes tag: TKE will not delete it with the Service`,
    );
  }
  if (!facts.id) {
    warnings.push('The CLB behind the Service could not be identified');
  }
  const saving =
    facts.createdByTke && facts.id
      ? resourceMonthlyCost(
          {
            provider: 'tencent',
            kind: 'load-balancer',
            id: facts.id,
            network: 'public',
          },
          prices,
        ).parts.reduce((sum, part) => sum + part.amountCny, 0)
      : 0;
  return {
    id: facts.id,
    deletedWithService: facts.createdByTke,
    monthlySavingCny: saving,
    warnings,
  };
}

async function waitForLoadBalancerGone(
  cloud: TencentCloud,
  region: string,
  id: string,
  timeoutSeconds: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const { TotalCount = 0 } = await cloud
      .clb(region)
      .DescribeLoadBalancers({ LoadBalancerIds: [id] });
    if (TotalCount === 0) {
      return true;
    }
    if (Date.now() >= deadline) {
      return false;
    }
    await sleep(1000, signal);
  }
}

/**
 * Deletes a gateway's LoadBalancer Service once its pods answer on their own EIPs, so the
 * CLB (and its bill) goes away.
 *
 * @public
 */
export function createGatewayRemoveLbAction(options: ActionOptions) {
  const defaultProbe = options.probe ?? tcpProbe();
  return createAtlasAction(options, {
    id: 'ingress-atlas:gateway:remove-lb',
    description:
      "Deletes a gateway's LoadBalancer Service (and so the CLB TKE created for it) once the gateway pods answer on their own EIPs.",
    examples,
    schema: {
      input: {
        cluster: clusterInput,
        namespace: namespaceInput,
        service: z =>
          checkedString(
            z,
            'dnsLabel',
            'The LoadBalancer Service to delete. Default: istio-ingressgateway',
          ).default(DEFAULT_GATEWAY),
        gateway: z =>
          checkedString(
            z,
            'dnsLabel',
            'The gateway StatefulSet whose pod EIPs take over. Default: the Service name',
          ).optional(),
        checkReachability: z =>
          z
            .boolean({
              description:
                'Connect to every EIP on every Service port first. Default: true; turn off only where the backend has no route to the addresses',
            })
            .default(true),
        timeoutSeconds: z => timeoutInput(z, 120),
      },
      output: {
        loadBalancerId: z =>
          z
            .string({
              description: 'The CLB that was behind the Service, if known',
            })
            .optional(),
        loadBalancerDeleted: z =>
          z.boolean({
            description: 'Whether the CLB is gone from DescribeLoadBalancers',
          }),
        monthlySavingCny: z =>
          z.number({
            description:
              'What the deleted CLB cost per month (0 when it survives)',
          }),
        publicIps: z =>
          z.array(z.string(), {
            description: 'The EIPs now serving the gateway',
          }),
        warnings: z =>
          z.array(z.string(), { description: 'Things to follow up by hand' }),
        ...changeOutputs,
      },
    },
    intent: input =>
      `delete the load balancer Service ${input.namespace}/${input.service} on cluster ${input.cluster}`,
    async run(ctx, { cluster, preflight }) {
      const {
        cluster: clusterName,
        namespace,
        service: serviceName,
        checkReachability,
        timeoutSeconds,
      } = ctx.input;
      const gatewayName = ctx.input.gateway ?? serviceName;
      const dryRun = Boolean(ctx.isDryRun);
      const cloud = tencentCloudOf(cluster);
      const target = `${namespace}/${serviceName}`;
      const key = (step: string) =>
        checkpointKey(
          'gateway.remove-lb',
          clusterName,
          namespace,
          serviceName,
          step,
        );
      const serviceRef = {
        apiVersion: 'v1',
        kind: 'Service',
        namespace,
        name: serviceName,
      };

      const [service, statefulSet] = await Promise.all([
        readObject(cluster, serviceRef),
        readObject(cluster, {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          namespace,
          name: gatewayName,
        }),
      ]);

      let facts: LoadBalancerFacts | undefined;
      let publicIps: string[] = [];
      if (service) {
        preflight.check(
          service.spec?.type === 'LoadBalancer',
          `Service ${target} is a LoadBalancer`,
          `Service ${target} is of type ${service.spec?.type}, not LoadBalancer`,
        );
        const eips = await checkGatewayEips({
          cluster,
          cloud,
          statefulSet,
          ports: (service.spec?.ports ?? []).map(
            (p: { port: number }) => p.port,
          ),
          probe: checkReachability ? defaultProbe : undefined,
          preflight,
          dryRun,
        });
        publicIps = eips.map(e => e.ip);
        if (statefulSet) {
          preflight.check(
            matchesSelector(
              service.spec?.selector,
              statefulSet.spec?.template?.metadata?.labels,
            ),
            `Service ${target} selects the pods of StatefulSet ${namespace}/${gatewayName}`,
            `Service ${target} does not select the pods of StatefulSet ${namespace}/${gatewayName}: they are not the same gateway`,
          );
          if (statefulSet.spec?.serviceName === serviceName) {
            preflight.warn(
              `StatefulSet ${namespace}/${gatewayName} names ${serviceName} as its serviceName: per-pod DNS names stop resolving once it is gone (traffic through the EIPs is not affected)`,
            );
          }
        }
        facts = await loadBalancerFacts(
          cluster,
          cloud,
          service,
          options.clusters.prices,
        );
      } else if (statefulSet) {
        publicIps = (await podEips(cluster, statefulSet)).flatMap(e =>
          e.ip ? [e.ip] : [],
        );
      }
      ctx.output('publicIps', publicIps);
      preflight.done();

      const diff = service ? diffObjects(service, undefined) : '';
      ctx.output('diff', diff);

      if (dryRun) {
        if (service) {
          await deleteObject(cluster, serviceRef, { dryRun: true });
        }
        facts?.warnings.forEach(w => ctx.logger.warn(w));
        ctx.logger.info(
          service
            ? `Dry run: the API server of ${clusterName} accepted deleting Service ${target} with dryRun=All; nothing was changed`
            : `Dry run: nothing to change, Service ${target} is already gone`,
        );
        ctx.output('loadBalancerId', facts?.id);
        ctx.output('loadBalancerDeleted', false);
        ctx.output('monthlySavingCny', facts?.monthlySavingCny ?? 0);
        ctx.output('warnings', facts?.warnings ?? []);
        ctx.output('changed', false);
        ctx.output('backup', '');
        return;
      }

      const backup = await ctx.checkpoint({
        key: key('backup'),
        fn: async () => (service ? toYaml([manifestOf(service)]) : ''),
      });
      ctx.output('backup', backup);

      const deleted = await ctx.checkpoint({
        key: key('delete-service'),
        fn: async () => {
          if (!service || !facts) {
            return { deleted: false };
          }
          await deleteObject(cluster, serviceRef, { dryRun: false });
          ctx.logger.info(
            `Deleted Service ${target}; its manifest is in the backup output`,
            { cluster: clusterName, loadBalancerId: facts.id },
          );
          return {
            deleted: true,
            id: facts.id ?? null,
            deletedWithService: facts.deletedWithService,
            monthlySavingCny: facts.monthlySavingCny,
            warnings: facts.warnings,
          };
        },
      });
      if (!deleted.deleted) {
        ctx.logger.info(`Nothing to change: Service ${target} is already gone`);
        ctx.output('loadBalancerDeleted', false);
        ctx.output('monthlySavingCny', 0);
        ctx.output('warnings', []);
        ctx.output('changed', false);
        return;
      }

      const warnings = [...deleted.warnings];
      let gone = false;
      if (deleted.id && deleted.deletedWithService && cloud && cluster.region) {
        gone = await waitForLoadBalancerGone(
          cloud,
          cluster.region,
          deleted.id,
          timeoutSeconds,
          ctx.signal,
        );
        if (gone) {
          ctx.logger.info(
            `CLB ${deleted.id} is gone from DescribeLoadBalancers`,
          );
        } else {
          warnings.push(
            `CLB ${deleted.id} was still listed ${timeoutSeconds}s after the Service was deleted; check it in the console`,
          );
        }
      }
      warnings.forEach(w => ctx.logger.warn(w));
      ctx.logger.info(
        `Monthly saving: ${deleted.monthlySavingCny} CNY (CLB instance fee at the catalogue price)`,
      );
      ctx.output('loadBalancerId', deleted.id ?? undefined);
      ctx.output('loadBalancerDeleted', gone);
      ctx.output('monthlySavingCny', deleted.monthlySavingCny);
      ctx.output('warnings', warnings);
      ctx.output('changed', true);
    },
  });
}
