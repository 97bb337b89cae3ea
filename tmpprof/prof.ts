import { generateEstate } from '@ingress-atlas/sandbox';
import { toInventory } from '../plugins/ingress-atlas-backend/src/manifests/toInventory';
import { gzipJson, gunzipJsonSync } from '../plugins/ingress-atlas-backend/src/inventory/compression';
import { buildModel } from '../plugins/ingress-atlas-backend/src/analysis/buildModel';
import { runAnalysisJob } from '../plugins/ingress-atlas-backend/src/analysis/analysisJob';
import { analyze } from '../plugins/ingress-atlas-backend/src/engine';

async function main() {
  const n = Number(process.argv[2] ?? 20);
  const est = generateEstate({ clusters: n, servicesPerCluster: 5000 });
  const snapshots: any[] = [];
  for (const c of est) {
    const descriptor: any = { name: c.spec.name, provider: 'generic', region: c.spec.region };
    const inv = toInventory(c.objects as any, descriptor, new Date().toISOString()).inventory;
    snapshots.push({ descriptor, status: 'ok', attemptedAt: new Date().toISOString(), collectedAt: inv.collectedAt, inventoryGz: await gzipJson(inv) });
  }
  est.length = 0;
  const t = (label: string, t0: number) => console.log(label, Math.round(performance.now() - t0), 'ms');
  for (let round = 0; round < 2; round++) {
  let t0 = performance.now();
  const parsed = snapshots.map(({ inventoryGz, ...s }) => ({ ...s, inventory: gunzipJsonSync<any>(inventoryGz) }));
  t('gunzip+parse', t0);
  t0 = performance.now();
  const model = buildModel({ snapshots: parsed, clouds: [], prices: undefined as any, entities: [], now: new Date() });
  t('buildModel', t0);
  t0 = performance.now();
  const gz = await gzipJson(model);
  t('gzip model', t0);
  let msgs = 0;
  t0 = performance.now();
  await runAnalysisJob({ kind: 'load', modelGz: gz }, async () => { msgs++; });
  t('serve (load)', t0);
  console.log('sizes', model.paths.length, model.entries.length, model.routes.length, model.findings.length, gz.length);
  }
}
main();
