import {
  PriceCatalogue,
  TKE,
  matchesSelector,
  resourceMonthlyCost,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { JsonObject } from '@backstage/config';
import type { ConnectedCluster } from '../clusters';
import {
  KubeObject,
  applyObject,
  deleteObject,
  listObjects,
  readObject,
  sleep,
} from '../kube';
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

/** DNSPod's name for the default resolution line. */
const DEFAULT_DNS_LINE = '默认';

type RemovalPlan =
  | { done: true }
  | { done: false; service: KubeObject; facts: LoadBalancerFacts };

interface LoadBalancerFacts {
  id?: string;
  /** Set when the Service reuses a CLB through `tke-existed-lbid`: TKE never releases it. */
  reused?: string;
  /** TKE releases the CLB once the Service is no longer a LoadBalancer only when it created it. */
  releasedByTke: boolean;
  /** What the CLB costs per month at the catalogue price. */
  monthlyCostCny: number;
  /** The CLB as DescribeLoadBalancers and DescribeListeners show it, for the backup. */
  described?: Record<string, unknown>;
  warnings: string[];
}

/** The CLB behind a Service, and whether TKE releases (and stops paying for) it. */
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
  let facts: {
    id?: string;
    createdByTke: boolean;
    described?: Record<string, unknown>;
  } = { id, createdByTke: !reused };
  if (cloud && cluster.region) {
    try {
      const clb = cloud.clb(cluster.region);
      const { LoadBalancerSet = [] } = await clb.DescribeLoadBalancers(
        id ? { LoadBalancerIds: [id] } : { LoadBalancerVips: vip ? [vip] : [] },
      );
      const lb = LoadBalancerSet[0];
      if (lb) {
        const { Listeners = [] } = await clb.DescribeListeners({
          LoadBalancerId: lb.LoadBalancerId!,
        });
        facts = {
          id: lb.LoadBalancerId,
          createdByTke:
            !reused &&
            (lb.Tags ?? []).some(
              t => t.TagKey === 'tke-createdBy-flag' && t.TagValue === 'yes',
            ),
          described: { ...lb, Listeners },
        };
      }
    } catch (error) {
      warnings.push(
        `DescribeLoadBalancers failed: ${describeTencentError(error)}`,
      );
    }
  }
  if (!reused && facts.id && !facts.createdByTke) {
    warnings.push(
      `CLB ${facts.id} has no tke-createdBy-flag=yes tag: TKE will not release it with the Service`,
    );
  }
  if (!facts.id) {
    warnings.push('The CLB behind the Service could not be identified');
  }
  const monthlyCostCny = facts.id
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
    ...(reused && { reused }),
    releasedByTke: facts.createdByTke,
    monthlyCostCny,
    ...(facts.described && { described: facts.described }),
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
      "Turns a gateway's LoadBalancer Service into ClusterIP (or deletes it), so that TKE releases the CLB it created, once the gateway pods answer on their own EIPs and DNS lists exactly them; a CLB reused through tke-existed-lbid is deleted through the CLB API when asked, or reported as still billing.",
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
        deleteService: z =>
          z
            .boolean({
              description:
                "Delete the Service instead of turning it into ClusterIP. Default: false: the Service stays, for the StatefulSet's serviceName, in-cluster DNS and the ports Istio derives listeners from",
            })
            .default(false),
        deleteReusedLoadBalancer: z =>
          z
            .boolean({
              description: `Delete a CLB the Service reuses through ${TKE.existedLbId} with DeleteLoadBalancer (its description goes into the backup): TKE never releases such a CLB. Default: false (it stays, and a warning says it keeps billing)`,
            })
            .default(false),
        dnsDomain: z =>
          checkedString(
            z,
            'dnsSubdomain',
            "DNSPod domain of the gateway's host: before anything changes, its records must list exactly the gateway's EIPs",
          ).optional(),
        dnsSubDomain: z =>
          checkedString(
            z,
            'subDomain',
            'The record name, e.g. blog',
          ).optional(),
        dnsRecordLine: z =>
          checkedString(
            z,
            'recordLine',
            `Resolution line of the record. Default: ${DEFAULT_DNS_LINE}`,
          ).default(DEFAULT_DNS_LINE),
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
              'What the removed CLB cost per month (0 when it stays)',
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
      `remove the load balancer of Service ${input.namespace}/${input.service} on cluster ${input.cluster}`,
    async run(ctx, { cluster, preflight }) {
      const {
        cluster: clusterName,
        namespace,
        service: serviceName,
        checkReachability,
        deleteService,
        deleteReusedLoadBalancer,
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
      // Already done by an earlier run (or never a load balancer): nothing to remove.
      const done =
        !service || (!deleteService && service.spec?.type === 'ClusterIP');
      if (service && !done) {
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
          if (deleteService && statefulSet.spec?.serviceName === serviceName) {
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
        if (facts.reused && deleteReusedLoadBalancer) {
          await checkReusedLoadBalancer(facts.reused);
        }
        if (ctx.input.dnsDomain && ctx.input.dnsSubDomain) {
          await checkDns(ctx.input.dnsDomain, ctx.input.dnsSubDomain);
        }
      } else if (statefulSet) {
        publicIps = (await podEips(cluster, statefulSet)).flatMap(e =>
          e.ip ? [e.ip] : [],
        );
      }
      ctx.output('publicIps', publicIps);
      preflight.done();

      // What this task found before it changed anything: a resumed task finds the Service
      // changed already and carries on with what it found then.
      const found: RemovalPlan =
        done || !service
          ? { done: true }
          : { done: false, service: manifestOf(service), facts: facts! };
      const plan = dryRun
        ? found
        : ((await ctx.checkpoint({
            key: key('plan'),
            fn: async () => found as unknown as JsonObject,
          })) as unknown as RemovalPlan);
      if (plan.done) {
        ctx.logger.info(
          `Nothing to change: Service ${target} ${
            service ? 'is ClusterIP already' : 'is already gone'
          }`,
        );
        ctx.output('diff', '');
        ctx.output('backup', '');
        ctx.output('loadBalancerDeleted', false);
        ctx.output('monthlySavingCny', 0);
        ctx.output('warnings', []);
        ctx.output('changed', false);
        return;
      }
      const lb = plan.facts;
      const removeReused = Boolean(lb.reused && deleteReusedLoadBalancer);
      const warnings = [...lb.warnings];
      if (lb.reused && !removeReused) {
        warnings.push(
          `CLB ${lb.reused} stays: it is attached through ${TKE.existedLbId}, which TKE never releases, and keeps billing ${lb.monthlyCostCny} CNY/month. Delete it in the console, or run again with deleteReusedLoadBalancer: true`,
        );
      }
      const removed = lb.releasedByTke || removeReused;
      const monthlySavingCny = removed ? lb.monthlyCostCny : 0;

      // Only the type is ours to set: the API server drops what only a LoadBalancer has (node
      // ports, external traffic policy) when the type changes, and keeps the ports, selector
      // and others' fields.
      const asClusterIp: KubeObject = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: serviceName, namespace },
        spec: { type: 'ClusterIP' },
      };
      let after: KubeObject | undefined;
      if (!deleteService) {
        after =
          service?.spec?.type === 'LoadBalancer'
            ? await applyObject(cluster, asClusterIp, { dryRun: true })
            : service;
      }
      ctx.output('diff', diffObjects(plan.service, after));

      if (dryRun) {
        if (deleteService) {
          await deleteObject(cluster, serviceRef, { dryRun: true });
        }
        warnings.forEach(w => ctx.logger.warn(w));
        ctx.logger.info(
          `Dry run: the API server of ${clusterName} accepted ${
            deleteService
              ? `deleting Service ${target}`
              : `turning Service ${target} into ClusterIP`
          } with dryRun=All; nothing was changed`,
        );
        ctx.output('loadBalancerId', lb.id);
        ctx.output('loadBalancerDeleted', false);
        ctx.output('monthlySavingCny', monthlySavingCny);
        ctx.output('warnings', warnings);
        ctx.output('changed', false);
        ctx.output('backup', '');
        return;
      }

      const backup = await ctx.checkpoint({
        key: key('backup'),
        fn: async () =>
          toYaml([
            plan.service,
            ...(removeReused && lb.described ? [lb.described] : []),
          ]),
      });
      ctx.output('backup', backup);

      await ctx.checkpoint({
        key: key(deleteService ? 'delete-service' : 'cluster-ip-service'),
        fn: async () => {
          if (deleteService) {
            await deleteObject(cluster, serviceRef, { dryRun: false });
          } else {
            await applyObject(cluster, asClusterIp, { dryRun: false });
          }
          ctx.logger.info(
            `${
              deleteService ? 'Deleted' : 'Turned into ClusterIP:'
            } Service ${target}; its manifest as it was is in the backup output`,
            { cluster: clusterName, loadBalancerId: lb.id },
          );
        },
      });

      if (removeReused && cloud && cluster.region) {
        await ctx.checkpoint({
          key: key('delete-reused-clb'),
          fn: async () => {
            try {
              await cloud
                .clb(cluster.region!)
                .DeleteLoadBalancer({ LoadBalancerIds: [lb.reused!] });
            } catch (error) {
              throw new Error(
                `DeleteLoadBalancer ${lb.reused} failed: ${describeTencentError(
                  error,
                )}; the Service is ClusterIP or gone already, the CLB still bills`,
              );
            }
            ctx.logger.info(
              `Deleted CLB ${lb.reused} through the CLB API; its description is in the backup output`,
            );
          },
        });
      }

      let gone = false;
      if (lb.id && removed && cloud && cluster.region) {
        gone = await waitForLoadBalancerGone(
          cloud,
          cluster.region,
          lb.id,
          timeoutSeconds,
          ctx.signal,
        );
        if (gone) {
          ctx.logger.info(`CLB ${lb.id} is gone from DescribeLoadBalancers`);
        } else {
          warnings.push(
            `CLB ${lb.id} was still listed ${timeoutSeconds}s after the Service changed; check it in the console`,
          );
        }
      }
      warnings.forEach(w => ctx.logger.warn(w));
      ctx.logger.info(
        `Monthly saving: ${monthlySavingCny} CNY (CLB instance fee at the catalogue price)`,
      );
      ctx.output('loadBalancerId', lb.id);
      ctx.output('loadBalancerDeleted', gone);
      ctx.output('monthlySavingCny', monthlySavingCny);
      ctx.output('warnings', warnings);
      ctx.output('changed', true);

      /** A reused CLB may front other Services too: delete it only when this one is its last. */
      async function checkReusedLoadBalancer(id: string): Promise<void> {
        const others = (
          await listObjects(cluster, { apiVersion: 'v1', kind: 'Service' })
        ).filter(
          o =>
            o.metadata?.annotations?.[TKE.existedLbId] === id &&
            `${o.metadata?.namespace}/${o.metadata?.name}` !== target,
        );
        preflight.check(
          others.length === 0,
          `no other Service uses CLB ${id}`,
          `CLB ${id} also serves ${others
            .map(o => `Service ${o.metadata?.namespace}/${o.metadata?.name}`)
            .join(', ')}; it cannot be deleted`,
        );
        preflight.check(
          Boolean(cloud && cluster.region),
          `a Tencent Cloud account covers cluster ${clusterName}`,
          `no Tencent Cloud account covers the region of cluster ${clusterName}: CLB ${id} cannot be deleted`,
        );
      }

      /**
       * The authoritative records (DNSPod's API, not a resolver's cache) must list exactly the
       * EIPs: a name still pointing at the CLB would go dark with it.
       */
      async function checkDns(
        domain: string,
        subDomain: string,
      ): Promise<void> {
        const fqdn = subDomain === '@' ? domain : `${subDomain}.${domain}`;
        if (!cloud) {
          preflight.fail(
            `no Tencent Cloud account covers cluster ${clusterName}: the records of ${fqdn} cannot be checked`,
          );
          return;
        }
        let listed: string[];
        try {
          const { RecordList = [] } = await cloud.dnspod().DescribeRecordList({
            Domain: domain,
            Subdomain: subDomain,
            RecordType: 'A',
            RecordLine: ctx.input.dnsRecordLine,
            ErrorOnEmpty: 'no',
          });
          listed = RecordList.filter(r => r.Name === subDomain)
            .map(r => r.Value!)
            .sort();
        } catch (error) {
          preflight.fail(
            `reading the records of ${fqdn} failed: ${describeTencentError(
              error,
            )}`,
          );
          return;
        }
        const wanted = [...publicIps].sort();
        if (wanted.length > 0 && listed.join(',') === wanted.join(',')) {
          preflight.pass(
            `DNSPod lists exactly the gateway's EIPs for ${fqdn}: ${listed.join(
              ', ',
            )}`,
          );
        } else {
          preflight.failUnlessDryRun(
            `DNSPod lists ${
              listed.join(', ') || 'nothing'
            } for ${fqdn}, not the gateway's EIPs (${
              wanted.join(', ') || 'none yet'
            }): point DNS at them with ingress-atlas:dns:cutover, which waits out the old TTL, before removing the load balancer`,
          );
        }
      }
    },
  });
}
