/*
 * The collector and the engine are not part of the backend plugin's public API; these tests use
 * them from its source, as the plugin's own tests do.
 */
/* eslint-disable @backstage/no-forbidden-package-imports, no-restricted-imports */
import type { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import type {
  CloudInventory,
  ClusterDescriptor,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { KubeCollector } from '@ingress-atlas/plugin-ingress-atlas-backend/src/collection/KubeCollector';
import { analyze } from '@ingress-atlas/plugin-ingress-atlas-backend/src/engine/analyze';
import { demoEntities } from '@ingress-atlas/plugin-ingress-atlas-backend/src/engine/__testUtils__/fixtureEstates';
import {
  sandboxClusters,
  sandboxTencentCloud,
} from '@ingress-atlas/plugin-ingress-atlas-backend/src/engine/__testUtils__/sandboxEstates';
/* eslint-enable @backstage/no-forbidden-package-imports, no-restricted-imports */

const NOW = '2026-11-22T00:00:00Z';

/**
 * The atlas's collector and engine as the backend runs them: each cluster read live, then
 * analysed with the sandbox's cloud inventory and the demo catalog.
 */
export class Atlas {
  readonly #collector = KubeCollector.create();

  private constructor(
    private readonly descriptors: ClusterDescriptor[],
    private readonly clouds: CloudInventory[],
    private readonly entities: Awaited<ReturnType<typeof demoEntities>>,
  ) {}

  static async create(): Promise<Atlas> {
    return new Atlas(
      (await sandboxClusters()).map(i => i.cluster),
      await sandboxTencentCloud(),
      await demoEntities(),
    );
  }

  async collect(
    cluster: string,
    connection: { url: string; token: string; caData?: string },
  ): Promise<ClusterInventory> {
    const descriptor = this.descriptors.find(d => d.name === cluster);
    if (!descriptor) throw new Error(`${cluster} is not a sandbox estate`);
    const { inventory } = await this.#collector.collect(
      {
        descriptor: { ...descriptor, source: 'config', url: connection.url },
        auth: { token: connection.token, caData: connection.caData },
      },
      { signal: AbortSignal.timeout(30_000), now: () => new Date(NOW) },
    );
    return inventory;
  }

  model(inventory: ClusterInventory): AtlasModel {
    return analyze({
      clusters: [inventory],
      clouds: this.clouds,
      entities: this.entities,
      now: NOW,
    });
  }
}

/**
 * The model without what the sandbox and a real server set differently by design; each item
 * here is checked elsewhere or cannot be equal:
 * - when the model was made, and the cluster's URL;
 * - the kinds only one side serves (`oneSide`: the tests check that such a kind is empty
 *   on the side that serves it), and why a kind is unavailable (a real server says a kind is
 *   not served where the sandbox answers 404 for it);
 * - generated pod names (the ReplicaSet's hash and the pod's suffix are the server's) and the
 *   node ports a Service does not pin (each server allocates its own);
 * - the order of an entry's nodes, addresses and resources (node EIPs), and so which node
 *   address its network reason names: the engine lists them in the order of the pods, and which
 *   node runs which pod (and what name it gets) is the scheduler's choice.
 */
export function normalised(model: AtlasModel, oneSide: Set<string>) {
  return JSON.parse(JSON.stringify(model), (key, value) => {
    if (key === 'generatedAt' || key === 'url') return undefined;
    if (key === 'unavailableKinds') {
      return (value as Array<{ kind: string }>)
        .map(({ kind }) => kind)
        .filter(kind => !oneSide.has(kind));
    }
    if (key === 'nodePort') return undefined;
    if (typeof value === 'string') {
      return value.replace(
        /^nodes (.*)$/,
        (_all, nodes: string) => `nodes ${nodes.split(', ').sort().join(', ')}`,
      );
    }
    if (value && typeof value === 'object' && Array.isArray(value.addresses)) {
      const addresses = [...value.addresses].sort();
      const named = /node address (\S+) is/.exec(value.networkReason ?? '');
      return {
        ...value,
        addresses,
        ...(named && addresses.includes(named[1])
          ? {
              networkReason: value.networkReason.replace(
                named[1],
                '<one of its nodes>',
              ),
            }
          : {}),
        ...(Array.isArray(value.resources)
          ? {
              resources: [...value.resources].sort((a, b) =>
                String(a.id).localeCompare(String(b.id)),
              ),
            }
          : {}),
      };
    }
    if (
      value &&
      typeof value === 'object' &&
      value.kind === 'Pod' &&
      value.name
    ) {
      return {
        ...value,
        name: String(value.name).replace(
          /(-[a-z0-9]{8,10})?-[a-z0-9]{5}$/,
          '-<generated>',
        ),
      };
    }
    return value;
  });
}

/** Kinds one inventory has as unavailable and the other does not. */
export function servedByOneSide(
  a: ClusterInventory,
  b: ClusterInventory,
): Set<string> {
  return new Set(
    Object.keys({ ...a.unavailable, ...b.unavailable }).filter(
      kind => !(kind in a.unavailable && kind in b.unavailable),
    ),
  );
}
