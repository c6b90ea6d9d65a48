import { useState } from 'react';
import { api, ApiError } from '../api.ts';
import { navigate } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { Batch } from '../types.ts';

/**
 * "My drawer": opens the signed-in clerk's cash drawer for today (the server opens one if there is
 * none) on its batch page. Shown to those who take payments (CSR I and up).
 */
export function MyDrawerButton({ className }: { className?: string }) {
  const canTake = useCan('csr1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!canTake) return null;
  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      const drawer = await api.post<Batch>('/payment-batches/drawer');
      navigate(`/payments/batches/${drawer.id}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={className} onClick={open} disabled={busy} data-testid="my-drawer">
        My drawer
      </button>
      {error && <span className="field-message" role="alert">{error}</span>}
    </>
  );
}
