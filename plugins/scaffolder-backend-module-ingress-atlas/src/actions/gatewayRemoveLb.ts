import {
  PriceCatalogue,
  TKE,
  TKE_CLB_TAGS,
  matchesSelector,
  resourceMonthlyCost,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { ConnectedCluster } from '../clusters';
import { KubeObject, listObjects, readObject, sleep } from '../kube';
import { reinstallWarning } from '../istio';
import type { ReachabilityProbe } from '../reachability';
import { TencentCloud, describeTencentError } from '../tencent';
import { podEips } from '../tke';
import {
  ActionOptions,
  DEFAULT_GATEWAY,
  Preflight,
  Zod,
  changeOutputs,
  checkpointKey,
  clusterInput,
  namespaceInput,
  tencentCloudOf,
  timeoutInput,
} from './common';
import { checkGatewayEips } from './gatewayEips';
import { Parsed, createAtlasAction } from './runner';
import { CloudCall, Step, StepChange, foundBefore } from './steps';
import { checkedString, flagInput, optionalInput } from './inputs';
import { examples } from './gatewayRemoveLb.examples';

/** DNSPod's name for the default resolution line. */
const DEFAULT_DNS_LINE = '默认';

/** What the task found before it changed anything: a resumed task carries on with it. */
type RemovalPlan = { done: true } | { done: false; facts: LoadBalancerFacts };

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
              t => t.TagKey === TKE_CLB_TAGS.createdBy && t.TagValue === 'yes',
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

/** A reused CLB may front other Services too: delete it only when this one is its last. */
async function checkReusedLoadBalancer(
  cluster: ConnectedCluster,
  preflight: Preflight,
  target: string,
  id: string,
): Promise<void> {
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
    Boolean(cluster.tencent && cluster.region),
    `a Tencent Cloud account covers cluster ${cluster.name}`,
    `no Tencent Cloud account covers the region of cluster ${cluster.name}: CLB ${id} cannot be deleted`,
  );
}

/**
 * The authoritative records (DNSPod's API, not a resolver's cache) must list exactly the
 * EIPs: a name still pointing at the CLB would go dark with it.
 */
async function checkDns(
  cluster: ConnectedCluster,
  preflight: Preflight,
  record: { domain: string; subDomain: string; line: string },
  publicIps: string[],
): Promise<void> {
  const { domain, subDomain } = record;
  const fqdn = subDomain === '@' ? domain : `${subDomain}.${domain}`;
  const cloud = tencentCloudOf(cluster);
  if (!cloud) {
    preflight.fail(
      `no Tencent Cloud account covers cluster ${cluster.name}: the records of ${fqdn} cannot be checked`,
    );
    return;
  }
  let listed: string[];
  try {
    const { RecordList = [] } = await cloud.dnspod().DescribeRecordList({
      Domain: domain,
      Subdomain: subDomain,
      RecordType: 'A',
      RecordLine: record.line,
      ErrorOnEmpty: 'no',
    });
    listed = RecordList.filter(r => r.Name === subDomain)
      .map(r => r.Value!)
      .sort();
  } catch (error) {
    preflight.fail(
      `reading the records of ${fqdn} failed: ${describeTencentError(error)}`,
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

const inputSchema = {
  cluster: clusterInput,
  namespace: namespaceInput,
  service: (z: Zod) =>
    checkedString(
      z,
      'dnsLabel',
      'The LoadBalancer Service to delete. Default: istio-ingressgateway',
    ).default(DEFAULT_GATEWAY),
  gateway: optionalInput(
    'dnsLabel',
    'The gateway StatefulSet whose pod EIPs take over. Default: the Service name',
  ),
  checkReachability: flagInput(
    'Connect to every EIP on every Service port first. Default: true; turn off only where the backend has no route to the addresses',
    true,
  ),
  deleteService: flagInput(
    "Delete the Service instead of turning it into ClusterIP. Default: false: the Service stays, for the StatefulSet's serviceName, in-cluster DNS and the ports Istio derives listeners from",
    false,
  ),
  deleteReusedLoadBalancer: flagInput(
    `Delete a CLB the Service reuses through ${TKE.existedLbId} with DeleteLoadBalancer (its description goes into the backup): TKE never releases such a CLB. Default: false (it stays, and a warning says it keeps billing)`,
    false,
  ),
  dnsDomain: optionalInput(
    'dnsSubdomain',
    "DNSPod domain of the gateway's host: before anything changes, its records must list exactly the gateway's EIPs",
  ),
  dnsSubDomain: optionalInput('subDomain', 'The record name, e.g. blog'),
  dnsRecordLine: (z: Zod) =>
    checkedString(
      z,
      'recordLine',
      `Resolution line of the record. Default: ${DEFAULT_DNS_LINE}`,
    ).default(DEFAULT_DNS_LINE),
  timeoutSeconds: (z: Zod) => timeoutInput(z, 120),
};

type Input = Parsed<typeof inputSchema>;

/**
 * What removing the load balancer needs: the gateway answering on its EIPs, the Service
 * selecting its pods, a reused CLB used by no one else, DNS on the EIPs. Returns the EIPs
 * and the CLB.
 */
async function checkRemoval(
  input: Input,
  target: { cluster: ConnectedCluster; preflight: Preflight },
  found: { service: KubeObject; statefulSet?: KubeObject },
  options: {
    probe: ReachabilityProbe;
    prices: PriceCatalogue;
    dryRun: boolean;
  },
): Promise<{ publicIps: string[]; facts: LoadBalancerFacts }> {
  const { cluster, preflight } = target;
  const { service, statefulSet } = found;
  const { namespace, service: serviceName } = input;
  const gatewayName = input.gateway ?? serviceName;
  const where = `${namespace}/${serviceName}`;
  const cloud = tencentCloudOf(cluster);
  preflight.check(
    service.spec?.type === 'LoadBalancer',
    `Service ${where} is a LoadBalancer`,
    `Service ${where} is of type ${service.spec?.type}, not LoadBalancer`,
  );
  const eips = await checkGatewayEips({
    cluster,
    cloud,
    statefulSet,
    ports: (service.spec?.ports ?? []).map((p: { port: number }) => p.port),
    probe: input.checkReachability ? options.probe : undefined,
    preflight,
    dryRun: options.dryRun,
  });
  const publicIps = eips.map(e => e.ip);
  // An installer that puts the Service back as a LoadBalancer creates a CLB that bills again.
  const reinstalled = reinstallWarning(service);
  if (reinstalled) preflight.warn(reinstalled);
  if (statefulSet) {
    preflight.check(
      matchesSelector(
        service.spec?.selector,
        statefulSet.spec?.template?.metadata?.labels,
      ),
      `Service ${where} selects the pods of StatefulSet ${namespace}/${gatewayName}`,
      `Service ${where} does not select the pods of StatefulSet ${namespace}/${gatewayName}: they are not the same gateway`,
    );
    if (input.deleteService && statefulSet.spec?.serviceName === serviceName) {
      preflight.warn(
        `StatefulSet ${namespace}/${gatewayName} names ${serviceName} as its serviceName: per-pod DNS names stop resolving once it is gone (traffic through the EIPs is not affected)`,
      );
    }
  }
  const facts = await loadBalancerFacts(
    cluster,
    cloud,
    service,
    options.prices,
  );
  if (facts.reused && input.deleteReusedLoadBalancer) {
    await checkReusedLoadBalancer(cluster, preflight, where, facts.reused);
  }
  if (input.dnsDomain && input.dnsSubDomain) {
    await checkDns(
      cluster,
      preflight,
      {
        domain: input.dnsDomain,
        subDomain: input.dnsSubDomain,
        line: input.dnsRecordLine,
      },
      publicIps,
    );
  }
  return { publicIps, facts };
}

/** DeleteLoadBalancer of a CLB that TKE never releases. */
function deleteReusedLoadBalancer(
  ctx: { logger: LoggerService },
  cloud: TencentCloud,
  region: string,
  lb: LoadBalancerFacts,
): CloudCall {
  return {
    what: `delete CLB ${lb.reused} through the CLB API`,
    run: async () => {
      try {
        await cloud
          .clb(region)
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
  };
}

/** The steps that take the load balancer away, and the outputs on what they did. */
function removal(
  ctx: ActionContext<Input, any>,
  cluster: ConnectedCluster,
  plan: { key: string[]; service?: KubeObject; lb: LoadBalancerFacts },
): StepChange {
  const { namespace, service: serviceName, deleteService } = ctx.input;
  const { lb } = plan;
  const cloud = tencentCloudOf(cluster);
  const removeReused = Boolean(lb.reused && ctx.input.deleteReusedLoadBalancer);
  const warnings = [...lb.warnings];
  if (lb.reused && !removeReused) {
    warnings.push(
      `CLB ${lb.reused} stays: it is attached through ${TKE.existedLbId}, which TKE never releases, and keeps billing ${lb.monthlyCostCny} CNY/month. Delete it in the console, or run again with deleteReusedLoadBalancer: true`,
    );
  }
  const removed = lb.releasedByTke || removeReused;
  const monthlySavingCny = removed ? lb.monthlyCostCny : 0;
  const region = cluster.region;
  const steps: Step[] = [
    deleteService
      ? { name: 'delete-service', remove: plan.service ? [plan.service] : [] }
      : {
          name: 'cluster-ip-service',
          // Only the type is ours to set: the API server drops what only a LoadBalancer has
          // (node ports, external traffic policy) when the type changes, and keeps the
          // ports, selector and others' fields.
          objects: [
            {
              apiVersion: 'v1',
              kind: 'Service',
              metadata: { name: serviceName, namespace },
              spec: { type: 'ClusterIP' },
            },
          ],
        },
  ];
  if (removeReused && cloud && region) {
    steps.push({
      name: 'delete-reused-clb',
      call: deleteReusedLoadBalancer(ctx, cloud, region, lb),
    });
  }
  let gone = false;
  if (lb.id && removed && cloud && region) {
    const id = lb.id;
    steps.push({
      waitFor: `CLB ${id} to leave DescribeLoadBalancers`,
      wait: async () => {
        gone = await waitForLoadBalancerGone(
          cloud,
          region,
          id,
          ctx.input.timeoutSeconds,
          ctx.signal,
        );
        if (gone) {
          ctx.logger.info(`CLB ${id} is gone from DescribeLoadBalancers`);
        } else {
          warnings.push(
            `CLB ${id} was still listed ${ctx.input.timeoutSeconds}s after the Service changed; check it in the console`,
          );
        }
      },
    });
  }
  return {
    key: plan.key,
    steps,
    // The reused CLB's description, for whoever has to recreate it.
    ...(removeReused && lb.described && { backup: [lb.described] }),
    inPlace: `the load balancer of Service ${namespace}/${serviceName} is gone`,
    finish: () => {
      warnings.forEach(w => ctx.logger.warn(w));
      if (!ctx.isDryRun) {
        ctx.logger.info(
          `Monthly saving: ${monthlySavingCny} CNY (CLB instance fee at the catalogue price)`,
        );
      }
      ctx.output('loadBalancerId', lb.id);
      ctx.output('loadBalancerDeleted', gone);
      ctx.output('monthlySavingCny', monthlySavingCny);
      ctx.output('warnings', warnings);
    },
  };
}

/**
 * Deletes a gateway's LoadBalancer Service once its pods answer on their own EIPs, so the
 * CLB (and its bill) goes away.
 *
 * @public
 */
export function createGatewayRemoveLbAction(options: ActionOptions) {
  return createAtlasAction(options, {
    id: 'ingress-atlas:gateway:remove-lb',
    description:
      "Turns a gateway's LoadBalancer Service into ClusterIP (or deletes it), so that TKE releases the CLB it created, once the gateway pods answer on their own EIPs and DNS lists exactly them; a CLB reused through tke-existed-lbid is deleted through the CLB API when asked, or reported as still billing.",
    examples,
    schema: {
      input: inputSchema,
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
    async plan(ctx, { cluster, preflight, probe }) {
      const { namespace, service: serviceName } = ctx.input;
      const target = `${namespace}/${serviceName}`;
      const key = ['gateway.remove-lb', cluster.name, namespace, serviceName];
      const ref = { namespace, name: serviceName };
      const [service, statefulSet] = await Promise.all([
        readObject(cluster, { ...ref, apiVersion: 'v1', kind: 'Service' }),
        readObject(cluster, {
          ...ref,
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          name: ctx.input.gateway ?? serviceName,
        }),
      ]);
      // Already done by an earlier run (or never a load balancer): nothing to remove.
      const done =
        !service ||
        (!ctx.input.deleteService && service.spec?.type === 'ClusterIP');
      const checked =
        service && !done
          ? await checkRemoval(
              ctx.input,
              { cluster, preflight },
              { service, statefulSet },
              {
                probe,
                prices: options.clusters.prices,
                dryRun: Boolean(ctx.isDryRun),
              },
            )
          : undefined;
      ctx.output(
        'publicIps',
        checked?.publicIps ??
          (statefulSet
            ? (await podEips(cluster, statefulSet)).flatMap(e =>
                e.ip ? [e.ip] : [],
              )
            : []),
      );
      preflight.done();

      const plan = await foundBefore<RemovalPlan>(
        ctx,
        checkpointKey(...key, 'plan'),
        checked ? { done: false, facts: checked.facts } : { done: true },
      );
      if (plan.done) {
        return {
          key,
          steps: [],
          inPlace: `Service ${target} ${
            service ? 'is ClusterIP already' : 'is already gone'
          }`,
          finish: () => {
            ctx.output('loadBalancerDeleted', false);
            ctx.output('monthlySavingCny', 0);
            ctx.output('warnings', []);
          },
        };
      }
      return removal(ctx, cluster, { key, service, lb: plan.facts });
    },
  });
}
