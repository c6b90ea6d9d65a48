import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { accountNumberField, findAccount, useAccountLookup } from '../account/accountLookup.ts';
import { CheckboxField, clientError, ErrorMessage, optional, ReasonField, SelectField, TextAreaField, TextField, useSubmit } from '../components/forms.tsx';
import { PremisePicker } from '../components/PremisePicker.tsx';
import { Card, PageHeader, StatusBadge } from '../components/ui.tsx';
import { addressLine, humanize, utilityToday } from '../format.ts';
import { useApi } from '../hooks.ts';
import { MeterPicker } from '../meter/MeterPicker.tsx';
import { orderNeedsAccount, orderNeedsMeter, orderTypeLabels, orderTypeOptions } from '../order/labels.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { oldMeterDestinations, orderTypes, type AccountOverview, type Meter, type OrderType, type Premise, type PremiseDetail, type ServiceOrder } from '../types.ts';

/** A service point the order may be for. */
interface PointChoice {
  id: number;
  service: 'electric' | 'water' | 'fiber';
  label: string;
  /** The account with service there today, if any. */
  servedAccountId: number | null;
  hasMeter: boolean;
}

const meterOf = (serial: string | undefined, service: string) => (serial ? `meter ${serial}` : service === 'fiber' ? 'not metered' : 'no meter');

function choicesOfAccount(overview: AccountOverview, today: string): PointChoice[] {
  const seen = new Set<number>();
  const out: PointChoice[] = [];
  for (const s of overview.services) {
    if (seen.has(s.servicePoint.id) || (s.agreement.endDate !== null && s.agreement.endDate < today)) continue;
    seen.add(s.servicePoint.id);
    out.push({
      id: s.servicePoint.id,
      service: s.servicePoint.service,
      label: `${humanize(s.servicePoint.service)} point ${s.servicePoint.id} · ${addressLine(s.premise.address)} · ${meterOf(s.meter?.serial, s.servicePoint.service)}`,
      servedAccountId: overview.account.id,
      hasMeter: s.meter !== null,
    });
  }
  return out;
}

function choicesOfPremise(premise: PremiseDetail, today: string): PointChoice[] {
  return premise.servicePoints.map((sp) => {
    const served = sp.agreements.find((a) => a.startDate <= today && (a.endDate === null || a.endDate >= today));
    return {
      id: sp.id,
      service: sp.service,
      label: `${humanize(sp.service)} point ${sp.id} · ${humanize(sp.status).toLowerCase()} · ${meterOf(sp.meter?.serial, sp.service)}${served ? ` · account ${served.accountId}` : ''}`,
      servedAccountId: served?.accountId ?? null,
      hasMeter: sp.meter !== null,
    };
  });
}

/**
 * A new service order: its type, the service point (from the account's services, the premise's
 * points, or a premise found by address), when, who, the type's request and the reason. Reached
 * from the queue (`/service-orders/new`), an account (`?accountId=&servicePointId=&type=`) or a
 * premise (`?premiseId=`).
 */
export function NewOrderPage() {
  const { query } = useLocation();
  const today = utilityToday();
  const accountId = Number(query.get('accountId')) || null;
  const premiseParam = Number(query.get('premiseId')) || null;
  const typeParam = query.get('type') as OrderType | null;
  const [type, setType] = useState<OrderType>(typeParam && (orderTypes as readonly string[]).includes(typeParam) ? typeParam : 'check_read');
  const [pointId, setPointId] = useState<number | null>(Number(query.get('servicePointId')) || null);
  // Without an account or premise to start from, staff find the premise by its address.
  const [searching, setSearching] = useState(!accountId && !premiseParam);
  const [picked, setPicked] = useState<Premise | null>(null);
  const [newMeter, setNewMeter] = useState<Meter | null>(null);
  const [typedAccount, setTypedAccount] = useState('');
  const lookup = useAccountLookup(typedAccount);

  const overview = useApi(`new-order-account:${accountId ?? ''}`, (signal) => (accountId ? api.get<AccountOverview>(`/accounts/${accountId}/overview`, undefined, signal) : Promise.resolve(null)));
  const premiseId = searching ? (picked?.id ?? null) : premiseParam;
  const premise = useApi(`new-order-premise:${premiseId ?? ''}`, (signal) => (premiseId ? api.get<PremiseDetail>(`/premises/${premiseId}`, undefined, signal) : Promise.resolve(null)));

  const choices: PointChoice[] = !searching && overview.data ? choicesOfAccount(overview.data, today) : premise.data ? choicesOfPremise(premise.data, today) : [];
  const choice = choices.find((c) => c.id === pointId) ?? null;
  // A single point to choose from is chosen.
  const onlyChoice = choices.length === 1 ? choices[0]!.id : null;
  useEffect(() => {
    if (onlyChoice !== null) setPointId(onlyChoice);
  }, [onlyChoice]);

  const form = useSubmit(async (v) => {
    if (!choice) throw clientError('body.servicePointId', 'Choose the service point');
    let orderAccount = accountId;
    if (!orderAccount && v.accountNumber) orderAccount = (lookup?.found ?? (await findAccount(v.accountNumber))).account.id;
    if (!orderAccount && type === 'move_out') orderAccount = choice.servedAccountId;
    if (type === 'meter_exchange' && !newMeter) throw clientError('body.request.newMeterId', 'Choose the new meter from the list');
    const request =
      type === 'move_in' ? { rateCode: (v.rateCode ?? '').toUpperCase() }
      : type === 'meter_exchange' ? { newMeterId: newMeter!.id, oldMeterTo: optional(v.oldMeterTo) }
      : type === 'move_out' && v.vacate === 'on' ? { vacate: true }
      : {};
    const order = await api.post<ServiceOrder>('/service-orders', {
      type,
      servicePointId: choice.id,
      accountId: orderAccount ?? undefined,
      effectiveDate: v.effectiveDate,
      scheduledFor: optional(v.scheduledFor),
      crew: optional(v.crew),
      priority: v.priority,
      instructions: optional(v.instructions),
      request,
      reason: v.reason,
    });
    navigate(`/service-orders/${order.id}`);
  });
  const { error, busy, onSubmit } = form;

  const from = accountId ? `/accounts/${accountId}` : premiseParam ? `/premises/${premiseParam}` : '/service-orders';
  const account = overview.data;

  return (
    <>
      <PageHeader
        title="New service order"
        subtitle={account ? <>For {account.customer.displayName}, account <span className="mono">{account.account.accountNumber}</span></> : premise.data && !searching ? `At ${addressLine(premise.data.address)}` : 'Find the premise by its address, then choose the service point.'}
      />
      <Card title={orderTypeLabels[type]} testId="new-order">
        <form onSubmit={onSubmit} className="form-grid form-page" noValidate data-testid="new-order-form">
          <ErrorMessage error={error} />
          <SelectField label="Order type" name="type" field="body.type" error={error} options={orderTypeOptions} value={type} onChange={(e) => setType(e.target.value as OrderType)} />
          {account ? (
            <div className="field">
              <span className="field-label">Account</span>
              <span className="lookup-found">
                <Link to={`/accounts/${account.account.id}`} className="mono">{account.account.accountNumber}</Link> <strong>{account.customer.displayName}</strong> <StatusBadge status={account.account.status} />
              </span>
            </div>
          ) : (
            <TextField
              label="Account number"
              name="accountNumber"
              field={[accountNumberField, 'body.accountId']}
              error={lookup?.error ?? error}
              value={typedAccount}
              onChange={(e) => setTypedAccount(e.target.value)}
              inputMode="numeric"
              autoComplete="off"
              maxLength={9}
              className="mono"
              live
              hint={
                lookup?.found ? (
                  <span className="lookup-found" data-testid="account-found">
                    <strong>{lookup.found.customerName}</strong> <StatusBadge status={lookup.found.account.status} />
                  </span>
                ) : orderNeedsAccount(type) ? (
                  type === 'move_out' ? 'Blank: the account with service at the point' : 'The account that moves in'
                ) : (
                  'Optional; blank: the account with service at the point'
                )
              }
            />
          )}

          {searching && <PremisePicker value={picked} onChange={(p) => { setPicked(p); setPointId(null); }} error={error} autoFocus={!typeParam} />}
          <SelectField
            label="Service point"
            name="servicePointId"
            field="body.servicePointId"
            error={error}
            options={choices.map((c) => ({ value: String(c.id), label: c.label }))}
            blank={choices.length === 0 ? (searching && !picked ? 'Choose the premise first' : 'No service point') : 'Choose…'}
            value={pointId ? String(pointId) : ''}
            onChange={(e) => setPointId(Number(e.target.value) || null)}
            wide
            hint={
              choice && orderNeedsMeter(type) && !choice.hasMeter ? (
                <span className="field-message">This point has no meter installed: the order will be refused.</span>
              ) : !searching ? (
                <button type="button" className="button-link" onClick={() => { setSearching(true); setPointId(null); }} data-testid="other-premise">
                  Choose a point at another premise
                </button>
              ) : undefined
            }
          />

          <TextField label="Effective date" name="effectiveDate" field="body.effectiveDate" error={error} type="date" required defaultValue={today} hint={orderNeedsAccount(type) ? 'The day the service changes hands' : 'The day the work is for'} />
          <TextField label="Scheduled for" name="scheduledFor" field="body.scheduledFor" error={error} type="date" hint="Blank: schedule later" />
          <TextField label="Crew" name="crew" field="body.crew" error={error} maxLength={40} autoComplete="off" />
          <SelectField label="Priority" name="priority" field="body.priority" error={error} options={['normal', 'urgent']} />

          {type === 'move_in' && (
            <TextField label="Rate code" name="rateCode" field="body.request.rateCode" error={error} required maxLength={20} autoComplete="off" className="mono" hint={`The rate of the new agreement, e.g. RES-${choice?.service === 'water' ? 'W' : choice?.service === 'fiber' ? 'F' : 'E'}`} />
          )}
          {type === 'move_out' && <CheckboxField label="Leave the service vacant (no reversion to the owner)" name="vacate" />}
          {type === 'meter_exchange' && (
            <fieldset className="field-wide form-section">
              <legend>New meter</legend>
              <MeterPicker kind={choice?.service} value={newMeter} onChange={setNewMeter} error={error} field="body.request.newMeterId" name="newMeterId" serialLabel="New meter serial" legend="New meter, in stock" />
              <SelectField label="Old meter goes to" name="oldMeterTo" field="body.request.oldMeterTo" error={error} options={oldMeterDestinations} blank="Removed (no further status)" />
            </fieldset>
          )}

          <TextAreaField label="Instructions for the field" name="instructions" field="body.instructions" error={error} maxLength={2000} wide placeholder="e.g. Dog in the yard; key at the office" />
          <ReasonField error={error} required placeholder="e.g. Customer called to stop service" />
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={busy} data-testid="save-order">
              Create order
            </button>
            <Link to={from} className="button">Cancel</Link>
          </div>
        </form>
      </Card>
    </>
  );
}
