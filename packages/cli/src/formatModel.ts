import {
  AtlasModel,
  Cost,
  Entry,
  ExposurePath,
  Finding,
  describeEntry,
  describeRoute,
  describeTarget,
  describeTls,
  describeWorkload,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { renderTable } from './table';

const short = (id: string | undefined) =>
  (id ?? '').replace(/^[a-zA-Z]+:[^/]+\//, '');

function money(amount: number | undefined) {
  return amount === undefined ? '' : amount.toFixed(2);
}

function controlPlaneSummary(model: AtlasModel, cluster: string) {
  return model.controlPlanes
    .filter(p => p.cluster === cluster)
    .map(p =>
      `${p.kind} ${p.version ?? ''} (${p.revision}${
        p.tags.length ? `, tags ${p.tags.join(',')}` : ''
      })`.replace(/ +/g, ' '),
    )
    .join('; ');
}

function costLabel(cost: Cost, entries: Map<string, Entry>): string {
  const entry = cost.entry ? entries.get(cost.entry) : undefined;
  if (!entry) return cost.resource ?? '';
  const owner = entry.service ?? entry.target;
  const what = owner ? `${owner.namespace}/${owner.name}` : short(entry.id);
  return `${entry.cluster} ${entry.type} ${what}`;
}

function costParts(cost: Cost): string {
  const parts = [
    ...cost.parts.map(
      p => `${p.item} ${p.resource} ${p.unitPrice} ${p.unit} x ${p.quantity}`,
    ),
    ...cost.unpriced.map(u => `unpriced: ${u}`),
  ];
  if (cost.traffic !== 'unknown') {
    parts.push(
      `traffic ${cost.traffic.gbPerMonth} GB ${cost.traffic.amountCny} CNY`,
    );
  } else if (parts.length === 0) {
    parts.push('no fixed fee; billed by traffic, volume unknown');
  }
  return parts.join('; ');
}

/** Where a path ends: its workload (`Deployment blog/blog`, with its cluster when it is in
 * another), else its Service or the API server. */
function pathTarget(p: ExposurePath): string {
  if (!p.workload || p.apiServer) return describeTarget(p);
  const cluster =
    p.workload.cluster === p.cluster ? '' : `${p.workload.cluster}:`;
  return `${cluster}${describeWorkload(p.workload)}`;
}

function findingLines(f: Finding): string[] {
  const lines = [
    `${f.severity.toUpperCase().padEnd(7)} [${f.code}] ${f.message}`,
    `        fix: ${f.fix}`,
  ];
  if (f.templateRef) {
    const params = Object.entries(f.parameters ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    lines.push(
      `        template: ${f.templateRef}${params ? ` (${params})` : ''}`,
    );
  }
  return lines;
}

/** The model as readable text: clusters, control planes, paths, costs, recommendations, findings. */
export function formatModel(model: AtlasModel): string {
  const sections: string[] = [];
  const section = (title: string, body: string) =>
    sections.push(`${title}\n${body}`);

  section(
    'CLUSTERS',
    renderTable(
      ['NAME', 'PROVIDER', 'REGION', 'STATUS', 'CONTROL PLANES'],
      model.clusters.map(c => [
        c.name,
        c.provider,
        c.region ?? '',
        c.status,
        controlPlaneSummary(model, c.name) || '-',
      ]),
    ),
  );

  if (model.controlPlanes.length) {
    section(
      'CONTROL PLANES',
      renderTable(
        [
          'CLUSTER',
          'KIND',
          'ROLE',
          'REVISION',
          'VERSION',
          'MESH',
          'NETWORK',
          'LINKS',
        ],
        model.controlPlanes.map(p => [
          p.cluster,
          p.managed ? `${p.kind} (managed)` : p.kind,
          p.role,
          p.revision,
          p.version ?? '',
          p.meshId ?? p.managedMeshId ?? '',
          p.network ?? '',
          [
            ...(p.primary ? [`primary ${short(p.primary)}`] : []),
            ...(p.remoteSecretLinks.length
              ? [`reads ${p.remoteSecretLinks.join(',')}`]
              : []),
            ...(p.eastWestGateways.length
              ? [`east-west ${p.eastWestGateways.map(short).join(',')}`]
              : []),
          ].join('; '),
        ]),
      ),
    );
  }

  const entries = new Map(model.entries.map(e => [e.id, e]));
  const routes = new Map(model.routes.map(r => [r.id, r]));
  const gateways = new Map(model.gateways.map(g => [g.id, g]));
  const pathCount = new Map<string, number>();
  for (const p of model.paths) {
    pathCount.set(p.entry, (pathCount.get(p.entry) ?? 0) + 1);
  }
  // Every way in, routed or not: a public load balancer with no route is the riskiest kind.
  section(
    'ENTRIES',
    model.entries.length === 0
      ? '(none)'
      : renderTable(
          [
            'CLUSTER',
            'ENTRY',
            'NETWORK',
            'GATEWAY',
            'PATHS',
            'WHY THIS NETWORK',
          ],
          model.entries.map(e => {
            const gateway = e.gateway ? gateways.get(e.gateway) : undefined;
            const owner = e.service ?? e.target;
            return [
              e.cluster,
              [
                describeEntry(e),
                owner ? `(${owner.namespace}/${owner.name})` : '',
              ]
                .filter(Boolean)
                .join(' '),
              e.network,
              gateway
                ? `${short(gateway.id)}${
                    gateway.origin && gateway.origin !== 'observed'
                      ? ` (${gateway.origin})`
                      : ''
                  }`
                : '',
              String(pathCount.get(e.id) ?? 0),
              e.networkReason,
            ];
          }),
        ),
  );
  section(
    'EXPOSURE PATHS',
    model.paths.length === 0
      ? '(none)'
      : renderTable(
          [
            'CLUSTER',
            'HOST',
            'NETWORK',
            'ENTRY',
            'VIA',
            'GATEWAY',
            'ROUTE',
            'TARGET',
            'TLS',
            'CNY/MONTH',
            'OWNERS',
          ],
          model.paths.map(p => {
            const entry = entries.get(p.entry);
            const route = p.route ? routes.get(p.route) : undefined;
            return [
              p.cluster,
              p.host,
              p.network,
              entry ? describeEntry(entry) : '',
              p.via.map(short).join(' > '),
              short(p.gateway),
              route ? describeRoute(route) : '',
              pathTarget(p),
              describeTls(p.tls),
              money(p.monthlyCostShareCny),
              p.entityRefs.join(', '),
            ];
          }),
        ),
  );

  if (model.costs.length) {
    section(
      'COSTS (CNY/MONTH, 720 h; traffic not included unless known)',
      renderTable(
        ['RESOURCE', 'STATE', 'CNY/MONTH', 'PARTS'],
        model.costs.map(c => [
          costLabel(c, entries),
          c.state,
          money(c.monthlyCny),
          costParts(c),
        ]),
      ),
    );
  }

  if (model.recommendations.length) {
    section(
      'RECOMMENDATIONS',
      model.recommendations
        .map(
          r =>
            `${r.title}: saves ${money(
              r.savingMonthlyCny,
            )} CNY/month\n  template: ${r.templateRef}\n${r.caveats
              .map(c => `  - ${c}`)
              .join('\n')}`,
        )
        .join('\n'),
    );
  }

  section(
    'FINDINGS',
    model.findings.length
      ? model.findings.flatMap(findingLines).join('\n')
      : 'No findings.',
  );

  const count = (s: string) =>
    model.findings.filter(f => f.severity === s).length;
  const inUse = model.costs
    .filter(c => c.state === 'in-use')
    .reduce((n, c) => n + c.monthlyCny, 0);
  const wasted = model.costs
    .filter(c => c.state !== 'in-use')
    .reduce((n, c) => n + c.monthlyCny, 0);
  const saving = model.recommendations.reduce(
    (n, r) => n + r.savingMonthlyCny,
    0,
  );
  sections.push(
    `${model.clusters.length} cluster(s), ${
      model.paths.length
    } path(s); ${count('error')} error(s), ${count(
      'warning',
    )} warning(s), ${count('info')} info. ` +
      `Monthly: ${money(inUse)} CNY in use, ${money(wasted)} CNY idle, ${money(
        saving,
      )} CNY possible saving.`,
  );
  return `${sections.join('\n\n')}\n`;
}
