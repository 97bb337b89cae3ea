import { orNotFound } from '../errors';
import { ActionHandler, applyFilters, page } from './types';

const DescribeMeshList: ActionHandler = ({ state, region, params }) => {
  const { Meshes } = state.region(region);
  const matching = applyFilters(Meshes, params.Filters, {
    MeshId: m => m.MeshId,
    MeshName: m => m.DisplayName,
    MeshCluster: m => (m.ClusterList ?? []).map((c: any) => c.ClusterId),
    Tags: m => (m.TagList ?? []).map((t: any) => `${t.Key}:${t.Value}`),
  });
  return {
    Total: matching.length,
    MeshList: page(matching, params, { defaultLimit: 20, maxLimit: 100 }),
  };
};

const DescribeMesh: ActionHandler = ({ state, region, params }) => {
  const mesh = orNotFound(
    state.region(region).Meshes.find(m => m.MeshId === params.MeshId),
    'ResourceNotFound',
    `Mesh ${params.MeshId} not found.`,
  );
  return { Mesh: mesh };
};

export const tcmActions: Record<string, ActionHandler> = {
  DescribeMeshList,
  DescribeMesh,
};
