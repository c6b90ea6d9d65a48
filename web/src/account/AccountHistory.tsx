import { AuditTable } from '../components/AuditTable.tsx';
import { PagedList } from '../components/DataTable.tsx';
import { Card } from '../components/ui.tsx';
import { usePagedQuery } from '../hooks.ts';
import type { AuditEvent } from '../types.ts';

/** Every recorded change to the account and what hangs off it, newest first, a page at a time. */
export function AccountHistory({ accountId }: { accountId: number }) {
  const list = usePagedQuery<AuditEvent>(`/accounts/${accountId}/audit`, {}, { limit: 25, cursor: 'before' });
  return (
    <Card title="Audit history" testId="audit-history">
      <PagedList list={list} empty="Nothing recorded for this account." newerLabel="Newer" olderLabel="Older">
        {(events) => <AuditTable events={events} testId="audit-history-table" />}
      </PagedList>
    </Card>
  );
}
