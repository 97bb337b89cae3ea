import { Table, TableColumn } from '@backstage/core-components';
import {
  describeEntry,
  describeRoute,
  describeTarget,
  describeTls,
  describeWorkload,
  ENTRY_TYPE_LABELS,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { EntityExposure } from '../../api';
import { formatMonthlyCny } from '../../utils/format';
import { isUnpriced } from '../../utils/cost';

interface PathRow {
  id: string;
  host: string;
  network: string;
  cluster: string;
  entryType: string;
  entry: string;
  via: string;
  gateway: string;
  route: string;
  service: string;
  workload: string;
  tls: string;
  cost?: number;
  /** The entry bills, but the price catalogue has no price for it. */
  unpriced: boolean;
}

const lines = (...parts: string[]) =>
  parts.filter(Boolean).map(part => <div key={part}>{part}</div>);

const columns: TableColumn<PathRow>[] = [
  {
    title: 'Host',
    field: 'host',
    defaultSort: 'asc',
    highlight: true,
    cellStyle: { whiteSpace: 'nowrap' },
  },
  { title: 'Network', field: 'network' },
  { title: 'Cluster', field: 'cluster' },
  {
    title: 'Entry',
    field: 'entry',
    render: row => lines(row.entryType, row.entry),
  },
  { title: 'Entry type', field: 'entryType', hidden: true },
  { title: 'Via', field: 'via' },
  { title: 'Gateway', field: 'gateway' },
  {
    title: 'Route → Service → workload',
    field: 'route',
    render: row => lines(row.route, row.service, row.workload),
  },
  { title: 'Service', field: 'service', hidden: true },
  { title: 'Workload', field: 'workload', hidden: true },
  // Wraps between words, never letter by letter in a narrow column.
  { title: 'TLS', field: 'tls', cellStyle: { minWidth: 160 } },
  {
    title: 'Cost share',
    field: 'cost',
    type: 'numeric',
    cellStyle: { whiteSpace: 'nowrap' },
    render: row => {
      if (row.unpriced) return 'not priced';
      return row.cost === undefined ? '' : formatMonthlyCny(row.cost);
    },
  },
];

/** Every way into the entity, one row per host and entry, sortable and filterable. */
export function ExposurePathsTable({ exposure }: { exposure: EntityExposure }) {
  const entries = new Map(exposure.entries.map(e => [e.id, e]));
  const gateways = new Map(exposure.gateways.map(g => [g.id, g]));
  const routes = new Map(exposure.routes.map(r => [r.id, r]));
  const gatewayName = (id?: string) => {
    const gateway = id ? gateways.get(id) : undefined;
    return gateway ? `${gateway.namespace}/${gateway.name}` : id ?? '';
  };

  const unpricedEntries = new Set(
    exposure.costs.filter(isUnpriced).map(c => c.entry),
  );
  const rows: PathRow[] = exposure.paths.map(path => {
    const entry = entries.get(path.entry);
    const route = path.route ? routes.get(path.route) : undefined;
    return {
      id: path.id,
      host: path.host,
      network: path.network,
      cluster: path.cluster,
      entryType: entry ? ENTRY_TYPE_LABELS[entry.type] : '',
      entry: entry ? describeEntry(entry) : path.entry,
      via: path.via.map(gatewayName).join(' → '),
      gateway: gatewayName(path.gateway),
      route: route ? describeRoute(route) : '',
      service: describeTarget(path),
      workload: path.workload ? describeWorkload(path.workload) : '',
      tls: describeTls(path.tls),
      cost: path.monthlyCostShareCny,
      unpriced: unpricedEntries.has(path.entry),
    };
  });

  return (
    <Table<PathRow>
      title="Exposure paths"
      subtitle="Every host that reaches this entity, and what it passes through"
      columns={columns}
      data={rows}
      options={{
        search: true,
        paging: rows.length > 10,
        pageSize: 10,
        padding: 'dense',
        // A draggable header puts a focusable drag handle inside the sort button:
        // two nested tab stops, and a screen reader names neither well.
        draggable: false,
      }}
      filters={[
        { column: 'Network', type: 'select' },
        { column: 'Cluster', type: 'multiple-select' },
        { column: 'Entry type', type: 'multiple-select' },
      ]}
    />
  );
}
