import { useEffect, useState } from 'react';
import { api, ApiError } from '../api.ts';
import { clientError } from '../components/forms.tsx';
import { useDebounced } from '../hooks.ts';
import type { Account, Customer } from '../types.ts';

/** An account found by its number, with the name of its customer. */
export interface FoundAccount {
  account: Account;
  customerName: string;
}

/** The field a wrong account number is reported on (the server names it so too). */
export const accountNumberField = 'params.accountNumber';

/**
 * GET /accounts/by-number/:n (which refuses a wrong check digit) and the customer's name. An empty
 * number is refused here; any other the server judges, so its message is the one staff see.
 */
export async function findAccount(number: string, signal?: AbortSignal): Promise<FoundAccount> {
  if (!number) throw clientError(accountNumberField, 'Enter the account number');
  const account = await api.get<Account>(`/accounts/by-number/${encodeURIComponent(number)}`, undefined, signal);
  const customer = await api.get<Customer>(`/customers/${account.customerId}`, undefined, signal);
  return { account, customerName: customer.displayName };
}

/** Looks the account up as the number is typed, once it has its nine digits. */
export function useAccountLookup(typed: string) {
  const number = useDebounced(typed.trim(), 200);
  const [result, setResult] = useState<{ number: string; found?: FoundAccount; error?: ApiError } | null>(null);
  useEffect(() => {
    if (!/^[0-9]{9}$/.test(number)) return;
    const controller = new AbortController();
    findAccount(number, controller.signal).then(
      (found) => setResult({ number, found }),
      (error: unknown) => {
        if (!controller.signal.aborted) setResult({ number, error: error instanceof ApiError ? error : new ApiError(0, 'client', (error as Error).message) });
      },
    );
    return () => controller.abort();
  }, [number]);
  // Only an answer about the number in the field counts.
  return result && result.number === typed.trim() ? result : null;
}
