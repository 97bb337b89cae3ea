import { readObject } from '../kube';
import {
  ActionOptions,
  clusterInput,
  gatewayInput,
  namespaceInput,
  tencentCloudOf,
} from './common';
import { checkGatewayEips, gatewayEipOutputs } from './gatewayEips';
import { createAtlasAction } from './runner';
import { flagInput, MAX_PROBED_PORTS, portNumber } from './inputs';
import { examples } from './gatewayVerifyEip.examples';

/**
 * Confirms that a gateway answers on its pod EIPs before DNS or the load balancer move: pods
 * ready with their EIPs, addresses bound, ports open. Changes nothing.
 *
 * @public
 */
export function createGatewayVerifyEipAction(options: ActionOptions) {
  return createAtlasAction(options, {
    id: 'ingress-atlas:gateway:verify-eip',
    description:
      'Checks that every pod of a gateway StatefulSet holds a bound EIP that answers on the given ports; fails otherwise. Changes nothing.',
    examples,
    schema: {
      input: {
        cluster: clusterInput,
        namespace: namespaceInput,
        gateway: gatewayInput('The gateway StatefulSet'),
        ports: z =>
          z
            .array(portNumber(z), {
              description: 'Ports to probe. Default: 80 and 443',
            })
            .max(MAX_PROBED_PORTS)
            .default([80, 443]),
        checkReachability: flagInput(
          'Connect to every EIP on every port. Default: true; turn off only where the backend has no route to the addresses',
          true,
        ),
      },
      output: {
        ...gatewayEipOutputs,
      },
    },
    intent: input =>
      `trust the EIPs of gateway ${input.namespace}/${input.gateway} on cluster ${input.cluster}`,
    async check(ctx, { cluster, preflight, probe }) {
      const { namespace, gateway, ports, checkReachability } = ctx.input;
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
        probe: checkReachability ? probe : undefined,
        preflight,
        dryRun: Boolean(ctx.isDryRun),
      });
      ctx.output(
        'publicIps',
        eips.map(e => e.ip),
      );
      ctx.output('addresses', eips);
    },
  });
}
