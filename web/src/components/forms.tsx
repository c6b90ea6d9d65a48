import { useEffect, useId, useState, type FormEvent, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { ApiError } from '../api.ts';
import { humanize } from '../format.ts';

/**
 * Form building blocks. The server validates; its message names the field
 * (`body.billingAddress.postalCode must match pattern ...`), so each input says which API field it
 * feeds and is marked invalid when the server's error names it.
 */

/** The server's message without the field path, shorter beside the input (the banner has it all). */
function fieldMessage(error: ApiError): string {
  const text = error.field && error.message.startsWith(error.field) ? error.message.slice(error.field.length).replace(/^[:\s]+/, '') : error.message;
  if (/^must match pattern/.test(text)) return patternMessage;
  return text;
}

const patternMessage = 'is not in the expected format';

interface FieldProps {
  label: string;
  /**
   * The API field this input feeds, e.g. `body.billingAddress.postalCode`; several when the server
   * names it differently in schema errors and in its own checks (`body.reading`, `reading`).
   */
  field?: string | readonly string[];
  error?: ApiError | null;
  hint?: ReactNode;
  wide?: boolean;
  /** Announce the hint or message when it changes (for a field whose input looks something up). */
  live?: boolean;
}

/** Whether the server's error names `field` (or a part of it). */
export function namesField(error: ApiError | null | undefined, field: string | readonly string[] | undefined): boolean {
  const named = error?.field;
  if (!named || !field) return false;
  return (typeof field === 'string' ? [field] : field).some((f) => named === f || named.startsWith(`${f}.`));
}

function useFieldState(field: string | readonly string[] | undefined, error: ApiError | null | undefined) {
  const id = useId();
  return { id, invalid: namesField(error, field), messageId: `${id}-msg` };
}

function FieldFrame({ id, label, hint, invalid, messageId, error, wide, live, children }: { id: string; label: string; hint?: ReactNode; invalid: boolean; messageId: string; error?: ApiError | null; wide?: boolean; live?: boolean; children: ReactNode }) {
  // "not in the expected format" says more with the field's hint on what the format is.
  const fault = invalid && error ? fieldMessage(error) : null;
  const message = fault === patternMessage && typeof hint === 'string' ? `${fault} (${hint})` : (fault ?? hint);
  return (
    <div className={`field${wide ? ' field-wide' : ''}${invalid ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {/* A live region has to be there before its text changes, so a live field always has one. */}
      {(message || live) && (
        <span className={invalid ? 'field-message' : 'field-hint'} id={messageId} aria-live={live ? 'polite' : undefined}>
          {message}
        </span>
      )}
    </div>
  );
}

/** aria-invalid and aria-describedby of an input, select or textarea. */
const describe = (s: { invalid: boolean; messageId: string }, hint: ReactNode, live?: boolean) => ({
  'aria-invalid': s.invalid || undefined,
  'aria-describedby': s.invalid || hint || live ? s.messageId : undefined,
});

export function TextField({ label, field, error, hint, wide, live, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const s = useFieldState(field, error);
  return (
    <FieldFrame {...s} label={label} hint={hint} error={error} wide={wide} live={live}>
      <input id={s.id} {...describe(s, hint, live)} data-autofocus={input.autoFocus || undefined} {...input} />
    </FieldFrame>
  );
}

export function TextAreaField({ label, field, error, hint, wide, live, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const s = useFieldState(field, error);
  return (
    <FieldFrame {...s} label={label} hint={hint} error={error} wide={wide} live={live}>
      <textarea id={s.id} rows={2} {...describe(s, hint, live)} data-autofocus={input.autoFocus || undefined} {...input} />
    </FieldFrame>
  );
}

export function SelectField({ label, field, error, hint, wide, live, options, blank, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: readonly string[] | readonly { value: string; label: string }[]; blank?: string }) {
  const s = useFieldState(field, error);
  return (
    <FieldFrame {...s} label={label} hint={hint} error={error} wide={wide} live={live}>
      <select id={s.id} {...describe(s, hint, live)} data-autofocus={select.autoFocus || undefined} {...select}>
        {blank !== undefined && <option value="">{blank}</option>}
        {options.map((o) => {
          const { value, label: text } = typeof o === 'string' ? { value: o, label: humanize(o) } : o;
          return <option key={value} value={value}>{text}</option>;
        })}
      </select>
    </FieldFrame>
  );
}

export function CheckboxField({ label, wide, ...input }: { label: string; wide?: boolean } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className={`field field-check${wide ? ' field-wide' : ''}`}>
      <input id={id} type="checkbox" {...input} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** The server's error, announced; shown at the top of the form it belongs to. */
export function ErrorMessage({ error }: { error: ApiError | Error | null | undefined }) {
  if (!error) return null;
  return (
    <div className="error-banner" role="alert" data-testid="form-error">
      {error.message}
    </div>
  );
}

/**
 * Submit handling: reads the form into a plain object, runs `submit`, keeps the server's error for
 * the form to show, and reports busy so the submit button can be disabled. A change of `resetOn`
 * (a dialog opening again) forgets the last error.
 */
export function useSubmit(submit: (values: Record<string, string>, form: HTMLFormElement) => Promise<void>, resetOn?: unknown) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setError(null), [resetOn]);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget;
    const values: Record<string, string> = {};
    for (const [key, value] of new FormData(form)) if (typeof value === 'string') values[key] = value.trim();
    setBusy(true);
    setError(null);
    try {
      await submit(values, form);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', (e as Error).message));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, onSubmit, setError };
}

/**
 * The reason kept in the audit trail with a change. Optional on creates (the server writes a
 * default); required, at least 3 characters, on updates.
 */
export function ReasonField({ error, required = false, label = 'Reason', ...input }: { error: ApiError | null; required?: boolean; label?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return required ? (
    <TextField label={label} name="reason" field="body.reason" error={error} required minLength={3} wide {...input} />
  ) : (
    <TextField label={label} name="reason" field="body.reason" error={error} wide hint="Optional; kept in the audit trail" {...input} />
  );
}

/** `''` -> undefined, so optional fields are left out of the request. */
export const optional = (value: string | undefined): string | undefined => (value ? value : undefined);

/** `''` -> null: clears an optional text field in a PATCH. */
export const orNull = (value: string | undefined): string | null => (value ? value : null);

/**
 * A whole number for the API, or the text as typed when it is not one, so that the server's
 * message ("must be integer") is the one shown beside the field.
 */
export const integerOrText = (value: string | undefined): number | string => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) ? n : (value ?? '');
};

/** An error found before asking the server, shown beside the input that feeds `field`. */
export const clientError = (field: string, message: string): ApiError => new ApiError(0, 'client', message, { field });
