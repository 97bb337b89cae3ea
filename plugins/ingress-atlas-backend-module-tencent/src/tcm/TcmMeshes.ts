import type {
  ManagedMesh,
  TencentClients,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import type { Mesh } from 'tencentcloud-sdk-nodejs/tencentcloud/services/tcm/v20210413/tcm_models';
import { TencentReader } from '../client/TencentReader';

function toManagedMesh(mesh: Mesh): ManagedMesh {
  return {
    id: mesh.MeshId,
    name: mesh.DisplayName,
    kind: 'tcm',
    version: mesh.Version,
    state: mesh.State,
    clusters: (mesh.ClusterList ?? []).map(cluster => ({
      cloudClusterId: cluster.ClusterId,
      role: cluster.Role === 'MASTER' ? 'primary' : 'remote',
      ingressGateways: (cluster.Config?.IngressGatewayList ?? []).map(
        gateway => ({
          name: gateway.Name,
          namespace: gateway.Namespace,
          loadBalancerId:
            gateway.LoadBalancerId ||
            gateway.Status?.LoadBalancer?.LoadBalancerId ||
            undefined,
          vip: gateway.Status?.LoadBalancer?.LoadBalancerVip || undefined,
        }),
      ),
    })),
  };
}

/** Reads the TCM (managed Istio) meshes of a region, with their clusters and ingress gateways. */
export class TcmMeshes extends TencentReader {
  static create(options: { clients: TencentClients }) {
    return new TcmMeshes(options.clients);
  }

  async list(region: string): Promise<ManagedMesh[]> {
    const client = this.clients.tcm(region);
    const listed = await this.describeAll(
      region,
      'DescribeMeshList',
      page => client.DescribeMeshList(page),
      response => ({ items: response.MeshList, total: response.Total }),
    );
    // The list may leave out cluster configs (ingress gateways); DescribeMesh has them all.
    const meshes: ManagedMesh[] = [];
    for (const { MeshId } of listed) {
      const { Mesh: mesh } = await this.clients.call(
        { action: 'DescribeMesh', region },
        () => client.DescribeMesh({ MeshId }),
      );
      if (mesh) {
        meshes.push(toManagedMesh(mesh));
      }
    }
    return meshes;
  }
}
