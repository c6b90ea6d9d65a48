import type { ReactNode } from 'react';
import { apiUrl } from '../api.ts';
import { useCan } from '../session.tsx';

/**
 * The original file of a payment import, as received. It holds full bank account numbers, so the
 * server gives it to supervisors and admins only; others see what it is called, without a link.
 */
export function ImportFileLink({ importId, children, testId }: { importId: number; children: ReactNode; testId?: string }) {
  const canDownload = useCan('supervisor');
  return canDownload ? (
    <a href={apiUrl(`/payment-imports/${importId}/file`)} download data-testid={testId} title="Download the original file">
      {children}
    </a>
  ) : (
    <span data-testid={testId ? `${testId}-name` : undefined}>{children}</span>
  );
}
