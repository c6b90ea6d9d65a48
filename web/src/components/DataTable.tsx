import type { Key, ReactNode } from 'react';
import type { PagedQuery } from '../hooks.ts';
import { Empty, LoadError, Loading, Pager } from './ui.tsx';

/**
 * Tables and paged lists. A page states its columns (header and how a row fills the cell) and
 * what to say when nothing matches; loading, errors, the empty state and paging are done here.
 */

export interface Column<T> {
  header: ReactNode;
  cell(row: T): ReactNode;
  /** On the header and every cell of the column, e.g. `num` (right-aligned) or `nowrap`. */
  className?: string;
}

const idOf = (row: unknown, index: number): Key => (row && typeof row === 'object' && 'id' in row && (typeof row.id === 'number' || typeof row.id === 'string') ? row.id : index);

export function DataTable<T>({ columns, rows, rowKey, testId, className }: { columns: readonly Column<T>[]; rows: readonly T[]; rowKey?: (row: T) => Key; testId?: string; className?: string }) {
  return (
    <div className="table-wrap">
      <table className={className ? `table ${className}` : 'table'} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col" className={column.className}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={rowKey ? rowKey(row) : idOf(row, r)}>
              {columns.map((column, i) => (
                <td key={i} className={column.className}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface PagedListProps<T> {
  list: PagedQuery<T>;
  /** Said when no item matches. */
  empty: ReactNode;
  newerLabel?: string;
  olderLabel?: string;
}

/** A page of a cursor-paged list: loading, the error (with a retry), the empty state, the pager. */
export function PagedList<T>({ list, empty, newerLabel, olderLabel, children }: PagedListProps<T> & { children(items: T[]): ReactNode }) {
  if (list.error) return <LoadError error={list.error} retry={list.reload} />;
  if (!list.data) return <Loading />;
  if (list.data.items.length === 0) return <Empty>{empty}</Empty>;
  return (
    <>
      {children(list.data.items)}
      <Pager pageNumber={list.pageNumber} hasNext={list.data.next !== null} onNewer={list.newer} onOlder={list.older} newerLabel={newerLabel} olderLabel={olderLabel} />
    </>
  );
}

/** A cursor-paged list shown as a table. */
export function PagedTable<T>({ columns, testId, ...rest }: PagedListProps<T> & { columns: readonly Column<T>[]; testId?: string }) {
  return <PagedList {...rest}>{(items) => <DataTable columns={columns} rows={items} testId={testId} />}</PagedList>;
}
