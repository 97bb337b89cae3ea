import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ingressAtlasReadPermission } from '@ingress-atlas/plugin-ingress-atlas-common';
import { readObject } from '../kube';
import { requirePermission } from '../permissions';
import { tcpProbe } from '../reachability';
import {
  ActionOptions,
  DEFAULT_GATEWAY,
  Preflight,
  clusterInput,
  gatewayInput,
  namespaceInput,
  tencentCloudOf,
} from './common';
import { checkGatewayEips, gatewayEipOutputs } from './gatewayEips';
import { examples } from './gatewayVerifyEip.examples';

/**
 * Confirms that a gateway answers on its pod EIPs before DNS or the load balancer move: pods
 * ready with their EIPs, addresses bound, ports open. Changes nothing.
 */
export function createGatewayVerifyEipAction(options: ActionOptions) {
  const { clusters, permissions } = options;
  const defaultProbe = options.probe ?? tcpProbe();
  return createTemplateAction({
    id: 'ingress-atlas:gateway:verify-eip',
    description:
      'Checks that every pod of a gateway StatefulSet holds a bound EIP that answers on the given ports; fails otherwise. Changes nothing.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: clusterInput,
        namespace: namespaceInput,
        gateway: gatewayInput('The gateway StatefulSet'),
        ports: z =>
          z
            .array(z.number().int().min(1).max(65535), {
              description: 'Ports to probe. Default: 80 and 443',
            })
            .optional(),
        checkReachability: z =>
          z
            .boolean({
              description:
                'Connect to every EIP on every port. Default: true; turn off only where the backend has no route to the addresses',
            })
            .optional(),
      },
      output: {
        ...gatewayEipOutputs,
      },
    },
    async handler(ctx) {
      const {
        cluster: clusterName,
        namespace = 'istio-system',
        gateway = DEFAULT_GATEWAY,
        ports = [80, 443],
        checkReachability = true,
      } = ctx.input;
      await requirePermission(ctx, permissions, ingressAtlasReadPermission);
      const cluster = await clusters.connect(clusterName);
      const preflight = new Preflight(
        `trust the EIPs of gateway ${namespace}/${gateway} on cluster ${clusterName}`,
        ctx.logger,
        { dryRun: ctx.isDryRun },
      );
      const statefulSet = await readObject(cluster, {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        namespace,
        name: gateway,
      });
      const eips = await checkGatewayEips({
        cluster,
        cloud: tencentCloudOf(cluster),
        statefulSet,
        ports,
        probe: checkReachability ? defaultProbe : undefined,
        preflight,
      });
      preflight.done();
      ctx.output(
        'publicIps',
        eips.map(e => e.ip),
      );
      ctx.output(
        'addresses',
        eips.map(e => ({
          pod: e.pod,
          ip: e.ip,
          ...(e.addressId && { addressId: e.addressId }),
          ...(e.status && { status: e.status }),
        })),
      );
    },
  });
}
