import { useState } from 'react';
import { api } from '../api.ts';
import { ErrorMessage, optional, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, PageHeader } from '../components/ui.tsx';
import { navigate } from '../router.tsx';
import type { CustomerDetail } from '../types.ts';

/** Add a person or a business, with a first phone number and email if known. */
export function NewCustomerPage() {
  const [kind, setKind] = useState<'person' | 'business'>('person');
  // The email is the second contact when a phone is given, so errors name contacts.1.
  const [hasPhone, setHasPhone] = useState(false);
  const { error, busy, onSubmit } = useSubmit(async (v) => {
    const contacts = [
      ...(v.phone ? [{ kind: 'phone', value: v.phone, isPrimary: true }] : []),
      ...(v.email ? [{ kind: 'email', value: v.email }] : []),
    ];
    const names = kind === 'person' ? { firstName: optional(v.firstName), lastName: v.lastName } : { businessName: v.businessName };
    const made = await api.post<CustomerDetail>('/customers', {
      kind,
      ...names,
      dateOfBirth: kind === 'person' ? optional(v.dateOfBirth) : undefined,
      preferredLanguage: optional(v.preferredLanguage),
      contacts,
      reason: optional(v.reason),
    });
    navigate(`/customers/${made.id}`);
  });

  return (
    <>
      <PageHeader title="New customer" subtitle="A person or a business. Open an account for them on the next page." />
      <Card title="Customer details">
        <form onSubmit={onSubmit} className="form-grid form-page" noValidate data-testid="new-customer-form">
          <ErrorMessage error={error} />
          <fieldset className="radio-row">
            <legend>Kind</legend>
            {(['person', 'business'] as const).map((k) => (
              <label key={k}>
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {k === 'person' ? 'Person' : 'Business'}
              </label>
            ))}
          </fieldset>
          {kind === 'person' ? (
            <>
              <TextField label="First name" name="firstName" field="body.firstName" error={error} maxLength={60} autoComplete="off" />
              <TextField label="Last name" name="lastName" field="body.lastName" error={error} maxLength={60} required autoComplete="off" />
              <TextField label="Date of birth" name="dateOfBirth" field="body.dateOfBirth" error={error} type="date" />
            </>
          ) : (
            <TextField label="Business name" name="businessName" field="body.businessName" error={error} maxLength={120} required wide autoComplete="off" />
          )}
          <SelectField label="Preferred language" name="preferredLanguage" field="body.preferredLanguage" error={error} options={[{ value: 'en', label: 'English' }, { value: 'es', label: 'Spanish' }, { value: 'ru', label: 'Russian' }, { value: 'vi', label: 'Vietnamese' }, { value: 'zh', label: 'Chinese' }, { value: 'uk', label: 'Ukrainian' }]} />
          <TextField label="Phone" name="phone" field="body.contacts.0" error={error} type="tel" autoComplete="off" onChange={(e) => setHasPhone(e.target.value.trim() !== '')} />
          <TextField label="Email" name="email" field={`body.contacts.${hasPhone ? 1 : 0}`} error={error} type="email" autoComplete="off" />
          <TextField label="Reason" name="reason" field="body.reason" error={error} wide hint="Optional; kept in the audit trail" />
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={busy} data-testid="save-customer">Add customer</button>
          </div>
        </form>
      </Card>
    </>
  );
}
