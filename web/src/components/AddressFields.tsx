import type { ApiError } from '../api.ts';
import type { Address } from '../types.ts';
import { TextField } from './forms.tsx';

/** Street, city, state and ZIP inputs, named `line1`..`postalCode`, feeding `<field>.line1`... */
export function AddressFields({ field, error, value }: { field: string; error: ApiError | null; value?: Address }) {
  return (
    <fieldset className="address-fields">
      <legend>Address</legend>
      <TextField label="Street" name="line1" field={`${field}.line1`} error={error} defaultValue={value?.line1} required maxLength={100} wide />
      <TextField label="Unit, suite (optional)" name="line2" field={`${field}.line2`} error={error} defaultValue={value?.line2 ?? ''} maxLength={100} wide />
      <TextField label="City" name="city" field={`${field}.city`} error={error} defaultValue={value?.city} required maxLength={60} />
      <TextField label="State" name="state" field={`${field}.state`} error={error} defaultValue={value?.state ?? 'WA'} required maxLength={2} className="input-short" />
      <TextField label="ZIP" name="postalCode" field={`${field}.postalCode`} error={error} defaultValue={value?.postalCode} required maxLength={10} className="input-short" inputMode="numeric" />
    </fieldset>
  );
}

/** The address inputs of a submitted form as the API wants them. */
export function addressFrom(v: Record<string, string>): Address {
  return { line1: v.line1 ?? '', line2: v.line2 ? v.line2 : null, city: v.city ?? '', state: (v.state ?? '').toUpperCase(), postalCode: v.postalCode ?? '' };
}
