import { generateEstate } from '@ingress-atlas/sandbox';
import { toInventory } from '../plugins/ingress-atlas-backend/src/manifests/toInventory';
import { gzipJson } from '../plugins/ingress-atlas-backend/src/inventory/compression';
import { AnalysisRunner } from '../plugins/ingress-atlas-backend/src/analysis/AnalysisRunner';

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
  const created = performance.now();
  const runner = AnalysisRunner.create({ logger: { debug() {}, info() {}, warn() {}, error() {}, child() { return this; } } as any, useWorker: true });
  for (let round = 0; round < 5; round++) {
    if (round > 0) {
      const inv = invs[round];
      inv.objects.services[10] = { ...inv.objects.services[10], metadata: { ...inv.objects.services[10].metadata, labels: { round: String(round) } } };
      snapshots[round] = { ...snapshots[round], inventoryGz: await gzipJson(inv) };
    }
    const t0 = performance.now();
    if (round === 1) console.log('from', Math.round(t0 - created));
    const out = await runner.analyze({ snapshots, clouds: [], prices: undefined as any, entities: [], now: new Date().toISOString() });
    const t1 = performance.now();
    await runner.allExposures(out.model);
    const t2 = performance.now();
    console.log('round', round, 'done', Math.round(t1 - t0), 'exposures', Math.round(t2 - t1), 'rss', Math.round(process.memoryUsage().rss / 2**20));
  }
  await runner.stop();
}
main();
