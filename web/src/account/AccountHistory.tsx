import { api } from '../api.ts';
import { AuditTable } from '../components/AuditTable.tsx';
import { Card, Empty, LoadError, Loading, Pager } from '../components/ui.tsx';
import { useApi, useCursorStack } from '../hooks.ts';
import type { AuditEvent, Page } from '../types.ts';

const pageSize = 25;

/** Every recorded change to the account and what hangs off it, newest first, a page at a time. */
export function AccountHistory({ accountId }: { accountId: number }) {
  const pages = useCursorStack(`history:${accountId}`);
  const page = useApi(`history:${accountId}:${pages.cursor ?? ''}`, (signal) =>
    api.get<Page<AuditEvent>>(`/accounts/${accountId}/audit`, { limit: pageSize, before: pages.cursor }, signal),
  );
  return (
    <Card title="Audit history" testId="audit-history">
      {page.error ? (
        <LoadError error={page.error} retry={page.reload} />
      ) : !page.data ? (
        <Loading />
      ) : page.data.items.length === 0 ? (
        <Empty>Nothing recorded for this account.</Empty>
      ) : (
        <>
          <AuditTable events={page.data.items} testId="audit-history-table" />
          <Pager
            pageNumber={pages.pageNumber}
            hasNext={page.data.next !== null}
            onNewer={pages.newer}
            onOlder={() => page.data?.next && pages.older(page.data.next)}
            newerLabel="Newer"
            olderLabel="Older"
          />
        </>
      )}
    </Card>
  );
}
