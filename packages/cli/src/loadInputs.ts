import {
  CloudInventory,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  CatalogEntityLite,
  loadManifestCluster,
  ManifestError,
  ManifestObjects,
  readEntities,
  readYamlDocuments,
  SkippedDocument,
} from '@ingress-atlas/plugin-ingress-atlas-backend';
import { ESTATES_FILE, isEstatesFolder, loadEstates } from './estates';

export interface CliInputs {
  clusters: ClusterInventory[];
  clouds: CloudInventory[];
  entities: CatalogEntityLite[];
  /** Kinds the atlas does not read, with how many objects of each were skipped. */
  skipped: Record<string, number>;
  /** Documents of the files read that are not Kubernetes objects. */
  skippedDocuments: SkippedDocument[];
}

/**
 * What `analyze` reads: each -f path is an estates folder (estates.yaml + a folder per
 * cluster), or files and folders of one cluster's manifests. Clouds and entities are optional.
 */
export async function loadInputs(options: {
  paths: string[];
  clusterName?: string;
  provider?: ClusterInventory['cluster']['provider'];
  cloudFiles?: string[];
  entitiesFiles?: string[];
}): Promise<CliInputs> {
  const clusters: ClusterInventory[] = [];
  const skipped: Record<string, number> = {};
  const skippedDocuments: SkippedDocument[] = [];
  const addSkipped = (loaded: ManifestObjects) => {
    for (const [k, n] of Object.entries(loaded.skipped))
      skipped[k] = (skipped[k] ?? 0) + n;
    skippedDocuments.push(...loaded.skippedDocuments);
  };

  const plain: string[] = [];
  for (const p of options.paths) {
    if (await isEstatesFolder(p)) {
      for (const loaded of await loadEstates(p)) {
        clusters.push(loaded.inventory);
        addSkipped(loaded);
      }
    } else {
      plain.push(p);
    }
  }
  if (plain.length) {
    const loaded = await loadManifestCluster(
      plain,
      {
        ...(options.clusterName ? { name: options.clusterName } : {}),
        ...(options.provider ? { provider: options.provider } : {}),
      },
      { exclude: [ESTATES_FILE] },
    );
    clusters.push(loaded.inventory);
    addSkipped(loaded);
  }

  const clouds: CloudInventory[] = [];
  for (const file of options.cloudFiles ?? []) {
    for (const doc of await readYamlDocuments(file)) {
      if (!doc.provider || !Array.isArray(doc.loadBalancers)) {
        throw new ManifestError(
          file,
          undefined,
          'expected cloud inventories (provider, region, loadBalancers, addresses, ...)',
        );
      }
      clouds.push({
        account: 'file',
        region: '',
        collectedAt: '',
        addresses: [],
        vpcEndpoints: [],
        meshes: [],
        errors: [],
        ...doc,
      });
    }
  }

  const entities = await readEntities(options.entitiesFiles ?? []);
  return { clusters, clouds, entities, skipped, skippedDocuments };
}
