import { AuditTable } from '../components/AuditTable.tsx';
import { TextField } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { PageHeader } from '../components/ui.tsx';
import { usePagedQuery, useQueryFilters } from '../hooks.ts';
import type { AuditEvent } from '../types.ts';

/** The whole audit trail, newest first, filtered by account, user or record. */
export function AuditPage() {
  const filters = useQueryFilters('accountId', 'userId', 'entityType', 'entityId');
  const list = usePagedQuery<AuditEvent>('/audit', filters, { limit: 50, cursor: 'before' });

  return (
    <>
      <PageHeader title="Audit trail" subtitle="Every change, who made it, when and why. Newest first." />
      <ListCard
        title="Changes"
        filterLabel="Filter the audit trail"
        filters={
          <>
            <TextField label="Account id" name="accountId" type="number" min={1} defaultValue={filters.accountId} className="input-short" />
            <TextField label="User id" name="userId" type="number" min={1} defaultValue={filters.userId} className="input-short" />
            <TextField label="Record type" name="entityType" defaultValue={filters.entityType} placeholder="e.g. account" />
            <TextField label="Record id" name="entityId" defaultValue={filters.entityId} className="input-short" />
          </>
        }
        list={list}
        empty="No changes match."
        newerLabel="Newer"
        olderLabel="Older"
      >
        {(events) => <AuditTable events={events} showAccount testId="audit-table" />}
      </ListCard>
    </>
  );
}
