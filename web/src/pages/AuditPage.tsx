import { api } from '../api.ts';
import { AuditTable } from '../components/AuditTable.tsx';
import { FilterBar } from '../components/FilterBar.tsx';
import { TextField } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, Pager } from '../components/ui.tsx';
import { useApi, useCursorStack } from '../hooks.ts';
import { useLocation } from '../router.tsx';
import type { AuditEvent, Page } from '../types.ts';

/** The whole audit trail, newest first, filtered by account, user or record. */
export function AuditPage() {
  const { query } = useLocation();
  const filters = {
    accountId: query.get('accountId') ?? '',
    userId: query.get('userId') ?? '',
    entityType: query.get('entityType') ?? '',
    entityId: query.get('entityId') ?? '',
  };
  const filterKey = `audit:${JSON.stringify(filters)}`;
  const pages = useCursorStack(filterKey);
  const list = useApi(`${filterKey}:${pages.cursor ?? ''}`, (signal) => api.get<Page<AuditEvent>>('/audit', { ...filters, limit: 50, before: pages.cursor }, signal));

  return (
    <>
      <PageHeader title="Audit trail" subtitle="Every change, who made it, when and why. Newest first." />
      <Card title="Changes">
        <FilterBar key={filterKey} label="Filter the audit trail">
          <TextField label="Account id" name="accountId" type="number" min={1} defaultValue={filters.accountId} className="input-short" />
          <TextField label="User id" name="userId" type="number" min={1} defaultValue={filters.userId} className="input-short" />
          <TextField label="Record type" name="entityType" defaultValue={filters.entityType} placeholder="e.g. account" />
          <TextField label="Record id" name="entityId" defaultValue={filters.entityId} className="input-short" />
        </FilterBar>
        {list.error ? (
          <LoadError error={list.error} retry={list.reload} />
        ) : !list.data ? (
          <Loading />
        ) : list.data.items.length === 0 ? (
          <Empty>No changes match.</Empty>
        ) : (
          <>
            <AuditTable events={list.data.items} showAccount testId="audit-table" />
            <Pager pageNumber={pages.pageNumber} hasNext={list.data.next !== null} onNewer={pages.newer} onOlder={() => list.data?.next && pages.older(list.data.next)} newerLabel="Newer" olderLabel="Older" />
          </>
        )}
      </Card>
    </>
  );
}
