import { Finding } from '@ingress-atlas/plugin-ingress-atlas-common';
import { adminPortPublic } from './adminPortPublic';
import { apiServerPublic } from './apiServerPublic';
import { certExpiring } from './certExpiring';
import { clbToPodEipSaving } from './clbToPodEipSaving';
import { credentialSecret } from './credentialSecret';
import { gatewayPlaintext } from './gatewayPlaintext';
import { gatewaySelectorNoWorkload } from './gatewaySelectorNoWorkload';
import { hostNetworkDnsPolicy } from './hostNetworkDnsPolicy';
import { hostNetworkPrivilegedPort } from './hostNetworkPrivilegedPort';
import { hostPortConflict } from './hostPortConflict';
import { idleResources } from './idleResources';
import { malformedObject } from './malformedObject';
import { mixedRootCa } from './mixedRootCa';
import { podEipNotStable } from './podEipNotStable';
import { serviceBypassesMesh } from './serviceBypassesMesh';
import { singleReplicaPublicLb } from './singleReplicaPublicLb';
import { tcmManaged } from './tcmManaged';
import { byFindingOrder } from '../order';
import { Analyzer, AnalyzerContext } from './types';
import { vsMissingGateway } from './vsMissingGateway';

export type { Analyzer, AnalyzerContext } from './types';

/** Every analyzer the engine runs, in the order their findings are listed. */
export const ANALYZERS: Analyzer[] = [
  malformedObject,
  apiServerPublic,
  adminPortPublic,
  gatewaySelectorNoWorkload,
  vsMissingGateway,
  credentialSecret,
  certExpiring,
  hostNetworkDnsPolicy,
  hostNetworkPrivilegedPort,
  hostPortConflict,
  mixedRootCa,
  tcmManaged,
  singleReplicaPublicLb,
  podEipNotStable,
  gatewayPlaintext,
  serviceBypassesMesh,
  idleResources,
  clbToPodEipSaving,
];

export function runAnalyzers(
  context: AnalyzerContext,
  analyzers = ANALYZERS,
): Finding[] {
  const findings = new Map<string, Finding>();
  for (const analyzer of analyzers) {
    for (const f of analyzer.analyze(context)) {
      if (!findings.has(f.id)) findings.set(f.id, f);
    }
  }
  return [...findings.values()].sort(byFindingOrder);
}
