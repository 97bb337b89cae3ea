import { CSSProperties, ReactNode, useState } from 'react';
import {
  Cell,
  Column,
  Row,
  SortDescriptor,
  TableBody,
  TableHeader,
  TablePagination,
  TableRoot,
} from '@backstage/ui';
import { makeStyles } from '@material-ui/core/styles';

/** One column of an {@link AtlasTable}. */
export interface AtlasColumn<T> {
  id: string;
  label: string;
  /** The column that names each row (a row is read by its row headers). */
  isRowHeader?: boolean;
  /** Amounts: right-aligned and read whole, never broken over lines. */
  numeric?: boolean;
  /** Names and ids read whole, never broken over lines. */
  nowrap?: boolean;
  /** The column's width in pixels; without one it takes what its content needs. */
  width?: number;
  /** Makes the column sortable, by this value. */
  sortValue?: (row: T) => string | number;
  cell: (row: T) => ReactNode;
}

const useStyles = makeStyles(
  {
    scroll: {
      overflowX: 'auto',
      // Long headers wrap rather than widen the table past its card.
      '& .bui-TableHeadLabel': { whiteSpace: 'normal' },
    },
    numericHead: {
      '& .bui-TableHeadContent': { justifyContent: 'flex-end' },
      '& .bui-TableHeadLabel': { textAlign: 'right' },
    },
    cell: { verticalAlign: 'top' },
  },
  { name: 'IngressAtlasTable' },
);

const NOWRAP: CSSProperties = { whiteSpace: 'nowrap' };
const NUMERIC: CSSProperties = { whiteSpace: 'nowrap', textAlign: 'right' };

function sortRows<T>(
  rows: T[],
  columns: AtlasColumn<T>[],
  sort?: SortDescriptor,
) {
  const key = columns.find(c => c.id === sort?.column)?.sortValue;
  if (!sort || !key) return rows;
  const sign = sort.direction === 'descending' ? -1 : 1;
  return [...rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y), 'en-US');
  });
}

const PAGE_SIZES = [10, 25, 50];

/**
 * A table on Backstage UI's parts, named for assistive technology (its `label`), with
 * optional sorting and pages. At less than `minWidth` (a phone) it scrolls sideways rather
 * than squeeze its columns.
 */
export function AtlasTable<T extends { id: string }>({
  label,
  columns,
  rows,
  minWidth,
  initialSort,
  pageSize: initialPageSize,
  emptyText,
}: {
  label: string;
  columns: AtlasColumn<T>[];
  rows: T[];
  minWidth?: number;
  initialSort?: SortDescriptor;
  /** Shows this many rows a page when there are more. */
  pageSize?: number;
  /** Said in the table when it has no row. */
  emptyText?: string;
}) {
  const classes = useStyles();
  const [sort, setSort] = useState(initialSort);
  const [pageSize, setPageSize] = useState(initialPageSize ?? rows.length);
  const [offset, setOffset] = useState(0);
  const paged = initialPageSize !== undefined && rows.length > initialPageSize;
  // A filter that leaves fewer rows goes back to the first page.
  const start = offset < rows.length ? offset : 0;
  const sorted = sortRows(rows, columns, sort);
  const shown = paged ? sorted.slice(start, start + pageSize) : sorted;
  return (
    <div>
      <div className={classes.scroll}>
        <TableRoot
          aria-label={label}
          // Backstage UI's table fixes its layout to equal columns; ours size to their content.
          style={{ minWidth, tableLayout: 'auto' }}
          sortDescriptor={sort}
          onSortChange={setSort}
        >
          <TableHeader columns={columns}>
            {column => (
              <Column
                id={column.id}
                isRowHeader={column.isRowHeader}
                allowsSorting={!!column.sortValue}
                className={column.numeric ? classes.numericHead : undefined}
                style={{ width: column.width }}
              >
                {column.label}
              </Column>
            )}
          </TableHeader>
          <TableBody
            items={shown}
            dependencies={[columns]}
            renderEmptyState={emptyText ? () => emptyText : undefined}
          >
            {row => (
              <Row id={row.id} columns={columns}>
                {column => (
                  <Cell
                    className={classes.cell}
                    style={
                      (column.numeric && NUMERIC) ||
                      (column.nowrap && NOWRAP) ||
                      undefined
                    }
                  >
                    {column.cell(row)}
                  </Cell>
                )}
              </Row>
            )}
          </TableBody>
        </TableRoot>
      </div>
      {paged && (
        <TablePagination
          pageSize={pageSize}
          pageSizeOptions={PAGE_SIZES}
          offset={start}
          totalCount={rows.length}
          hasPreviousPage={start > 0}
          hasNextPage={start + pageSize < rows.length}
          onPreviousPage={() => setOffset(Math.max(0, start - pageSize))}
          onNextPage={() => setOffset(start + pageSize)}
          onPageSizeChange={size => {
            setPageSize(size);
            setOffset(0);
          }}
        />
      )}
    </div>
  );
}
