import { useState } from 'react';
import { Flex, SearchField, Select } from '@backstage/ui';
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
import { AtlasColumn, AtlasTable } from '../AtlasTable';
import { Section } from '../Section';

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

const byField = (field: keyof PathRow) => (row: PathRow) =>
  String(row[field] ?? '');

const columns: AtlasColumn<PathRow>[] = [
  {
    id: 'host',
    label: 'Host',
    isRowHeader: true,
    nowrap: true,
    sortValue: byField('host'),
    cell: row => row.host,
  },
  {
    id: 'network',
    label: 'Network',
    sortValue: byField('network'),
    cell: row => row.network,
  },
  {
    id: 'cluster',
    label: 'Cluster',
    sortValue: byField('cluster'),
    cell: row => row.cluster,
  },
  {
    id: 'entry',
    label: 'Entry',
    sortValue: byField('entry'),
    cell: row => lines(row.entryType, row.entry),
  },
  { id: 'via', label: 'Via', sortValue: byField('via'), cell: row => row.via },
  {
    id: 'gateway',
    label: 'Gateway',
    sortValue: byField('gateway'),
    cell: row => row.gateway,
  },
  {
    id: 'route',
    label: 'Route → Service → workload',
    sortValue: byField('route'),
    cell: row => lines(row.route, row.service, row.workload),
  },
  // Wraps between words, never letter by letter in a narrow column.
  {
    id: 'tls',
    label: 'TLS',
    sortValue: byField('tls'),
    cell: row => <div style={{ minWidth: 160 }}>{row.tls}</div>,
  },
  {
    id: 'cost',
    label: 'Cost share',
    numeric: true,
    sortValue: row => (row.unpriced ? -1 : row.cost ?? -2),
    cell: row => {
      if (row.unpriced) return 'not priced';
      return row.cost === undefined ? '' : formatMonthlyCny(row.cost);
    },
  },
];

type FilterField = 'network' | 'cluster' | 'entryType';

/** The filters over the table; a row passes one when none is chosen or its value is. */
const FILTERS: { field: FilterField; label: string }[] = [
  { field: 'network', label: 'Network' },
  { field: 'cluster', label: 'Cluster' },
  { field: 'entryType', label: 'Entry type' },
];

/** The distinct values of a field, as a filter's options. */
function optionsOf(rows: PathRow[], field: keyof PathRow) {
  return [...new Set(rows.map(byField(field)))]
    .filter(Boolean)
    .sort()
    .map(value => ({ value, label: value }));
}

// Side by side on a wide screen, one under another on a phone.
const FILTER_WIDTH = { width: 180, flex: 'none' };
const SEARCH_WIDTH = { width: 240, flex: 'none', maxWidth: '100%' };

/** A filter of several values. */
function MultiFilter({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: { value: string; label: string }[];
  value: string[];
  onChange: (value: string[]) => void;
}) {
  return (
    <Select
      selectionMode="multiple"
      label={label}
      placeholder="All"
      options={options}
      value={value}
      onChange={keys => onChange(keys.map(String))}
      style={FILTER_WIDTH}
    />
  );
}

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

  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<Record<FilterField, string[]>>({
    network: [],
    cluster: [],
    entryType: [],
  });
  const needle = query.trim().toLocaleLowerCase('en-US');
  const shown = rows.filter(
    row =>
      FILTERS.every(
        ({ field }) =>
          chosen[field].length === 0 || chosen[field].includes(row[field]),
      ) &&
      (!needle ||
        Object.values(row)
          .join(' ')
          .toLocaleLowerCase('en-US')
          .includes(needle)),
  );

  return (
    <Section
      title="Exposure paths"
      subtitle="Every host that reaches this entity, and what it passes through"
    >
      <Flex direction="column" gap="3">
        <Flex align="end" gap="3" style={{ flexWrap: 'wrap' }}>
          <SearchField
            label="Filter paths"
            size="small"
            value={query}
            onChange={setQuery}
            style={SEARCH_WIDTH}
          />
          {FILTERS.map(({ field, label }) => (
            <MultiFilter
              key={field}
              label={label}
              options={optionsOf(rows, field)}
              value={chosen[field]}
              onChange={value => setChosen({ ...chosen, [field]: value })}
            />
          ))}
        </Flex>
        <AtlasTable
          label="Exposure paths"
          columns={columns}
          rows={shown}
          minWidth={960}
          initialSort={{ column: 'host', direction: 'ascending' }}
          pageSize={10}
          emptyText="No path matches the filters chosen."
        />
      </Flex>
    </Section>
  );
}
