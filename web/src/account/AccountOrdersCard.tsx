import { useState } from 'react';
import { api } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Card, Empty, LoadError, Loading } from '../components/ui.tsx';
import { useApi } from '../hooks.ts';
import { orderColumns } from '../order/orderColumns.tsx';
import { TransferDialog } from '../order/TransferDialog.tsx';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { AccountService, Page, ServiceOrderListItem } from '../types.ts';

const columns = orderColumns({ account: false });
/** The most orders the card shows; the queue (filtered by account) has them all. */
const shownOrders = 50;

/** The account's service orders, newest first, with buttons for a new order and a transfer. */
export function AccountOrdersCard({ accountId, services, onChange }: { accountId: number; services: AccountService[]; onChange(): void }) {
  const canOrder = useCan('csr1');
  const [transferring, setTransferring] = useState(false);
  const orders = useApi(`account-orders:${accountId}`, (signal) => api.get<Page<ServiceOrderListItem>>('/service-orders', { accountId, limit: shownOrders, order: 'newest' }, signal));
  const items = orders.data?.items ?? [];

  return (
    <Card
      title="Service orders"
      testId="account-orders"
      actions={
        canOrder && (
          <>
            <Link to={`/service-orders/new?accountId=${accountId}`} className="button button-small" data-testid="new-order">New order</Link>
            <button type="button" className="button-small" onClick={() => setTransferring(true)} data-testid="transfer-service">Transfer service</button>
          </>
        )
      }
    >
      {orders.error ? (
        <LoadError error={orders.error} retry={orders.reload} />
      ) : !orders.data ? (
        <Loading what="Loading the orders" />
      ) : items.length === 0 ? (
        <Empty>No service orders for this account.</Empty>
      ) : (
        <>
          <DataTable columns={columns} rows={items} testId="account-orders-table" />
          {orders.data.next !== null && (
            <p className="muted small">
              The {shownOrders} newest orders are shown. <Link to={`/service-orders?accountId=${accountId}&status=all`}>All orders of the account →</Link>
            </p>
          )}
        </>
      )}
      <TransferDialog
        accountId={accountId}
        services={services}
        open={transferring}
        onClose={() => setTransferring(false)}
        onSaved={() => {
          setTransferring(false);
          orders.reload();
          onChange();
        }}
      />
    </Card>
  );
}
