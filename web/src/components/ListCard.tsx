import type { ReactNode } from 'react';
import type { PagedQuery } from '../hooks.ts';
import { PagedList, PagedTable, type Column } from './DataTable.tsx';
import { FilterBar } from './FilterBar.tsx';
import { Card } from './ui.tsx';

type Shown<T> = { columns: readonly Column<T>[]; testId?: string; children?: never } | { columns?: never; testId?: never; children(items: T[]): ReactNode };

/**
 * The card of a list page: its filters (inputs named after the query parameters, kept in the URL)
 * over a cursor-paged list, shown as a table of `columns` or by `children`.
 */
export function ListCard<T>({ title, filterLabel, filters, list, empty, newerLabel, olderLabel, ...shown }: {
  title: string;
  /** The accessible name of the filter form, e.g. "Filter meters". */
  filterLabel?: string;
  filters?: ReactNode;
  list: PagedQuery<T>;
  empty: ReactNode;
  newerLabel?: string;
  olderLabel?: string;
} & Shown<T>) {
  const paging = { list, empty, newerLabel, olderLabel };
  return (
    <Card title={title}>
      {filters && (
        // Keyed by the filters in force, so the inputs show them again after back/forward.
        <FilterBar key={list.filterKey} label={filterLabel ?? `Filter ${title.toLowerCase()}`}>
          {filters}
        </FilterBar>
      )}
      {shown.columns ? <PagedTable {...paging} columns={shown.columns} testId={shown.testId} /> : <PagedList {...paging}>{shown.children}</PagedList>}
    </Card>
  );
}
