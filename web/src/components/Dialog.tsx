import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../api.ts';
import { ErrorMessage } from './forms.tsx';

/**
 * A modal on the native <dialog>: the browser traps focus, Escape closes it, and focus returns to
 * the button that opened it.
 */
export function Dialog({ title, open, onClose, children, testId }: { title: string; open: boolean; onClose(): void; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // React focuses an autoFocus input while the dialog is still closed, which does nothing, and
      // showModal then focuses the first button (Close). Focus the field meant, else the first one.
      const target = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>('.dialog-body :is(input:not([type=hidden]), select, textarea, button)');
      target?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose} data-testid={testId}>
      {open && (
        <>
          <div className="dialog-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="button-icon" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </div>
          <div className="dialog-body">{children}</div>
        </>
      )}
    </dialog>
  );
}

/**
 * A dialog holding one form: the server's error on top, the fields in the form grid, then the
 * submit and Cancel buttons. `form` is what `useSubmit` returns.
 */
export function FormDialog({ title, open, onClose, testId, form, submitLabel, submitTestId, children }: {
  title: string;
  open: boolean;
  onClose(): void;
  testId?: string;
  form: { error: ApiError | null; busy: boolean; onSubmit(event: FormEvent<HTMLFormElement>): void };
  submitLabel: string;
  submitTestId?: string;
  children: ReactNode;
}) {
  return (
    <Dialog title={title} open={open} onClose={onClose} testId={testId}>
      <form onSubmit={form.onSubmit} className="form-grid" noValidate>
        <ErrorMessage error={form.error} />
        {children}
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={form.busy} data-testid={submitTestId}>
            {submitLabel}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
