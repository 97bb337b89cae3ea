import {
  AtlasModel,
  Finding,
  FindingCode,
  ObjectRef,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { GatewaySet } from '../gateways/GatewaySet';
import { EngineContext } from '../types';

export interface AnalyzerContext extends EngineContext {
  model: Omit<AtlasModel, 'findings' | 'generatedAt'>;
  gatewaySets: Map<string, GatewaySet>;
}

/**
 * One check over the model. It declares the codes it raises; each is defined (title, severities,
 * description, fix) in the findings catalogue of -common, which docs/findings.md is rendered from.
 */
export interface Analyzer {
  codes: FindingCode[];
  analyze(context: AnalyzerContext): Finding[];
}

function refKey(ref: ObjectRef): string {
  return (
    ref.id ??
    [ref.cluster, ref.kind, ref.namespace, ref.name].filter(Boolean).join('/')
  );
}

export function finding(
  options: Omit<Finding, 'id' | 'code'> & { code: FindingCode },
): Finding {
  return {
    id: `${options.code}:${options.objects.map(refKey)[0] ?? ''}`,
    ...options,
  };
}

export const TEMPLATES = {
  exposeServiceThroughMesh: 'template:default/expose-service-through-mesh',
  moveGatewayToPodEip: 'template:default/move-gateway-to-pod-eip',
  migrateTcmToIstiod: 'template:default/migrate-tcm-to-istiod',
  enableGatewayHttps: 'template:default/enable-gateway-https',
  moveGatewayToHostNetwork: 'template:default/move-gateway-to-host-network',
  exposeApiServer: 'template:default/expose-api-server',
};

export function gatewayRef(gateway: {
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  workload?: { kind: string };
}): ObjectRef {
  return {
    kind: gateway.workload?.kind ?? 'Gateway',
    name: gateway.name,
    namespace: gateway.namespace,
    cluster: gateway.cluster,
    id: gateway.id,
  };
}
