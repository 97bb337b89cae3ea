import {
  AtlasModel,
  EntityExposure,
  ExposurePath,
  Finding,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { CompactModel } from '../engine/CompressedList';

/**
 * Indexes a model by entity: each entity gets its paths and everything those paths go
 * through, with the findings, costs and recommendations about those objects. Of the model's
 * paths and routes, only those on an entity's paths are read (see `CompactModel`).
 */
export function indexByEntity(
  model: CompactModel,
): Map<string, EntityExposure> {
  const pathsByEntity = new Map<string, ExposurePath[]>();
  for (const path of model.paths.tagged()) {
    for (const ref of path.entityRefs) {
      const list = pathsByEntity.get(ref) ?? [];
      list.push(path);
      pathsByEntity.set(ref, list);
    }
  }
  const read = { ...model, routes: model.routes.tagged() };
  const index = new Map<string, EntityExposure>();
  for (const [entityRef, paths] of pathsByEntity) {
    index.set(entityRef, exposureOf(read, entityRef, paths));
  }
  return index;
}

export function emptyExposure(
  entityRef: string,
  generatedAt?: string,
): EntityExposure {
  return {
    entityRef,
    generatedAt,
    paths: [],
    entries: [],
    gateways: [],
    routes: [],
    findings: [],
    costs: [],
    recommendations: [],
    clusters: [],
  };
}

function exposureOf(
  model: Omit<AtlasModel, 'paths'>,
  entityRef: string,
  paths: ExposurePath[],
): EntityExposure {
  const ids = new Set<string>();
  const clusters = new Set<string>();
  const workloads = new Set<string>();
  for (const path of paths) {
    ids.add(path.id);
    ids.add(path.entry);
    path.via.forEach(id => ids.add(id));
    if (path.gateway) ids.add(path.gateway);
    if (path.route) ids.add(path.route);
    clusters.add(path.cluster);
    if (path.service) {
      workloads.add(
        objectKey(
          'Service',
          path.cluster,
          path.service.namespace,
          path.service.name,
        ),
      );
    }
    if (path.workload) {
      const w = path.workload;
      workloads.add(objectKey(w.kind, w.cluster, w.namespace, w.name));
    }
  }
  // The control planes of the gateways on the way matter too (e.g. a TCM-managed mesh).
  const gateways = model.gateways.filter(g => ids.has(g.id));
  gateways.forEach(g => g.controlPlane && ids.add(g.controlPlane));
  const concerns = (finding: Finding) =>
    finding.objects.some(
      o =>
        (o.id !== undefined && ids.has(o.id)) ||
        workloads.has(objectKey(o.kind, o.cluster, o.namespace, o.name)),
    );
  return {
    entityRef,
    generatedAt: model.generatedAt,
    paths,
    entries: model.entries.filter(e => ids.has(e.id)),
    gateways,
    routes: model.routes.filter(r => ids.has(r.id)),
    findings: model.findings.filter(concerns),
    costs: model.costs.filter(c => c.entry !== undefined && ids.has(c.entry)),
    recommendations: model.recommendations.filter(r => ids.has(r.entry)),
    clusters: model.clusters.filter(c => clusters.has(c.name)),
  };
}

function objectKey(
  kind: string,
  cluster?: string,
  namespace?: string,
  name?: string,
) {
  return `${kind}|${cluster ?? ''}|${namespace ?? ''}|${name ?? ''}`;
}
