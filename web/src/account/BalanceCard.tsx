import { Card } from '../components/ui.tsx';
import { formatCents } from '../format.ts';
import type { AccountOverview } from '../types.ts';

/** What the account owes (positive) or has in credit (negative). Null until the ledger exists. */
export function BalanceCard({ balance }: { balance: AccountOverview['balance'] }) {
  return (
    <Card title="Balance" testId="balance-card">
      {balance === null ? (
        <p className="muted" data-testid="balance-none">No charges or payments posted yet.</p>
      ) : (
        <div className="balance">
          <span className={`balance-amount${balance.amountCents < 0 ? ' credit' : ''}`}>
            {formatCents(Math.abs(balance.amountCents))}
            {balance.amountCents < 0 ? ' credit' : balance.amountCents === 0 ? '' : ' due'}
          </span>
          <span className="muted">as of {balance.asOf}</span>
        </div>
      )}
    </Card>
  );
}
