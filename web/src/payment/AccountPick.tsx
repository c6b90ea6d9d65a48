import { useEffect, useState, type ReactNode } from 'react';
import type { ApiError } from '../api.ts';
import { accountNumberField, findAccount, useAccountLookup, type FoundAccount } from '../account/accountLookup.ts';
import { TextField } from '../components/forms.tsx';
import { StatusBadge } from '../components/ui.tsx';

/**
 * Choosing an account by its number, as the service dialogs do (account/accountLookup.ts): the
 * number is looked up as it is typed (the customer's name shows beside it, a wrong check digit is
 * said at once), and `resolve` gives the account on submit, asking the server if the look-up has
 * not answered yet.
 */
export function useAccountPick(resetOn?: unknown, initial = '') {
  const [typed, setTyped] = useState(initial);
  useEffect(() => setTyped(initial), [resetOn, initial]);
  const lookup = useAccountLookup(typed);
  return {
    typed,
    setTyped,
    lookup,
    found: lookup?.found ?? null,
    resolve: async (): Promise<FoundAccount> => lookup?.found ?? (await findAccount(typed.trim())),
  };
}

export type AccountPick = ReturnType<typeof useAccountPick>;

/**
 * The account number input of a pick. `field` names the API field the account feeds
 * (`body.accountId`), so the server's refusal of the account shows here too.
 */
export function AccountNumberField({ pick, error, label = 'Account number', field = 'body.accountId', hint, required, autoFocus, wide }: {
  pick: AccountPick;
  error: ApiError | null;
  label?: string;
  field?: string | readonly string[];
  hint?: ReactNode;
  required?: boolean;
  autoFocus?: boolean;
  wide?: boolean;
}) {
  const found = pick.found;
  return (
    <TextField
      label={label}
      name="accountNumber"
      field={[accountNumberField, ...(typeof field === 'string' ? [field] : field), 'accountId']}
      error={pick.lookup?.error ?? error}
      value={pick.typed}
      onChange={(e) => pick.setTyped(e.target.value)}
      required={required}
      inputMode="numeric"
      autoComplete="off"
      maxLength={9}
      className="mono"
      autoFocus={autoFocus}
      wide={wide}
      live
      hint={
        found ? (
          <span className="lookup-found" data-testid="account-found">
            <strong>{found.customerName}</strong> <StatusBadge status={found.account.status} />
          </span>
        ) : (
          hint ?? 'Nine digits; the customer\'s name shows once it is found'
        )
      }
    />
  );
}
