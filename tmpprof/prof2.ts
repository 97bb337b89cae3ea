import { generateEstate } from '@ingress-atlas/sandbox';
import { toInventory } from '../plugins/ingress-atlas-backend/src/manifests/toInventory';
import { gzipJson } from '../plugins/ingress-atlas-backend/src/inventory/compression';
import { buildModel } from '../plugins/ingress-atlas-backend/src/analysis/buildModel';
import { runAnalysisJob } from '../plugins/ingress-atlas-backend/src/analysis/analysisJob';
import { IncrementalAnalysis } from '../plugins/ingress-atlas-backend/src/engine/IncrementalAnalysis';

async function main() {
  const n = Number(process.argv[2] ?? 20);
  const est = generateEstate({ clusters: n, servicesPerCluster: 5000 });
  const snapshots: any[] = [];
  const invs: any[] = [];
  for (const c of est) {
    const descriptor: any = { name: c.spec.name, provider: 'generic', region: c.spec.region };
    const inv = toInventory(c.objects as any, descriptor, new Date().toISOString()).inventory;
    invs.push(inv);
    snapshots.push({ descriptor, status: 'ok', attemptedAt: new Date().toISOString(), collectedAt: inv.collectedAt, inventoryGz: await gzipJson(inv) });
  }
  est.length = 0;
  const t = (label: string, t0: number) => console.log(label, Math.round(performance.now() - t0), 'ms');
  const engine = new IncrementalAnalysis();
  for (let round = 0; round < 3; round++) {
    if (round > 0) {
      const inv = invs[round];
      inv.objects.services[10] = { ...inv.objects.services[10], metadata: { ...inv.objects.services[10].metadata } }; inv.objects.services[10].metadata.labels = { ...inv.objects.services[10].metadata.labels, round: String(round) };
      snapshots[round].inventoryGz = await gzipJson(inv);
    }
    let t0 = performance.now();
    const model = buildModel({ snapshots, clouds: [], prices: undefined as any, entities: [], now: new Date() }, engine);
    t('buildModel', t0); console.log(engine.lastRun?.analysedClusters.length, engine.lastRun?.groups);
    t0 = performance.now();
    let msgs = 0;
    await runAnalysisJob({ kind: 'analyze', snapshots, clouds: [], prices: undefined as any, entities: [], now: new Date().toISOString() }, async () => { msgs++; }, engine);
    t('whole job', t0);
  }
}
main();
