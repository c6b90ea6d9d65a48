/**
 * Bad debt through the API: who may do what (a supervisor sets the rules, adds agencies, runs the
 * daily job and approves write-offs; a CSR II places, recalls, records the agency's collections,
 * asks for write-offs and moves balances; a CSR I and the auditor only read), the refusals (an
 * identity number in a layout, a write-off approved by the one who asked, a balance moved to
 * another customer, a remittance that does not add up), and the audit trail with each reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billing } from '../../src/billing/index.ts';
import { customers } from '../../src/customer/index.ts';
import { ledger } from '../../src/ledger/index.ts';
import { systemActor } from '../../src/platform/actor.ts';
import { addDays } from '../../src/platform/dates.ts';
import { centsToDecimal } from '../../src/platform/money.ts';
import { premises } from '../../src/premise/index.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { fiberCustomer, loadFiberRate } from '../support/fiber.ts';

let api: TestApi;
const system = systemActor('test');

/** A customer whose fiber service ended today with the final bill unpaid. */
async function finalAccount(first: string) {
  const rt = api.runtime;
  const made = await fiberCustomer(rt.db, system, rt.clock, { firstName: first, lastName: 'Owing', line1: `${first.length} Gone Away Road` });
  await premises.endAgreement(rt.db, system, made.agreement.id, { endDate: rt.clock.today(), endReason: 'move_out' }, 'Moved away');
  const bill = await billing.finalBill(rt.db, system, rt.clock, rt.config.timeZone, made.agreement.id);
  expect(bill.status).toBe('posted');
  return { ...made, bill };
}
const balance = (accountId: number) => ledger.balanceOf(api.runtime.db, accountId);
const trail = async (query: string) => (await api.as.auditor.get(`/api/v1/audit?${query}`)).json().items as { action: string; reason: string; entityType: string; username: string }[];

let a: Awaited<ReturnType<typeof finalAccount>>;
let bankrupt: Awaited<ReturnType<typeof finalAccount>>;
let small: Awaited<ReturnType<typeof finalAccount>>;
let mover: Awaited<ReturnType<typeof finalAccount>>;
let agencyId: number;

beforeAll(async () => {
  api = await createTestApi();
  await loadFiberRate(api.runtime.db, system, api.runtime.clock);
  a = await finalAccount('Abe');
  bankrupt = await finalAccount('Bea');
  small = await finalAccount('Cy');
  mover = await finalAccount('Dot');
  await customers.addAlert(api.runtime.db, system, api.runtime.clock, bankrupt.account.id, { kind: 'bankruptcy', note: 'Chapter 7, case 26-01234' }, 'Notice of filing');
  await ledger.adjust(api.runtime.db, system, api.runtime.clock, { accountId: small.account.id, amountCents: -(small.bill.totalCents - 1000), reasonCode: 'GOODWILL', reason: 'Most of it forgiven', entryDate: api.runtime.clock.today() });
  // Three weeks and a day on, the final bills are past due.
  api.runtime.clock.advanceDays(22);
  await api.signInAgain();
});
afterAll(() => api?.close());

describe('bad-debt settings and agencies', () => {
  it('lets a supervisor change the rules with a reason, audited; others read', async () => {
    expect((await api.as.auditor.get('/api/v1/bad-debt/settings')).json()).toEqual({ letterAfterDueDays: 15, placementWaitDays: 30, minPlacementCents: 2500, autoPlaceAgencyId: null, writeOffApproval: 'supervisor' });
    expect((await api.as.csr2.patch('/api/v1/bad-debt/settings', { letterAfterDueDays: 0, reason: 'Faster' })).statusCode).toBe(403);
    expect((await api.as.supervisor.patch('/api/v1/bad-debt/settings', { letterAfterDueDays: 0 })).statusCode).toBe(400);
    const changed = await api.as.supervisor.patch('/api/v1/bad-debt/settings', { letterAfterDueDays: 0, placementWaitDays: 1, reason: 'Board policy: letter the day after the due date passes' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ letterAfterDueDays: 0, placementWaitDays: 1 });
    const [event] = await trail('entityType=bad_debt_settings');
    expect(event).toMatchObject({ action: 'update', reason: 'Board policy: letter the day after the due date passes', username: 't-supervisor' });
  });

  it('adds an agency with its commission and layout; never an identity number in the file', async () => {
    const body = { code: 'nwcoll', name: 'Northwest Collections', commissionPercent: '30', vendorId: 'CBPUD01', reason: 'Contract signed' };
    expect((await api.as.csr2.post('/api/v1/bad-debt/agencies', body)).statusCode).toBe(403);
    const ssn = await api.as.supervisor.post('/api/v1/bad-debt/agencies', { ...body, fileColumns: ['account_number', 'ssn_last4'] });
    expect(ssn.statusCode).toBe(400);
    expect(ssn.json().message).toMatch(/ssn_last4: identity numbers .* are never sent to a collection agency/);
    expect((await api.as.supervisor.post('/api/v1/bad-debt/agencies', { ...body, commissionPercent: '30.001' })).statusCode).toBe(400);
    const made = await api.as.supervisor.post('/api/v1/bad-debt/agencies', body);
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ code: 'NWCOLL', commissionPercent: '30.00', active: true });
    agencyId = made.json().id;
    expect((await api.as.supervisor.post('/api/v1/bad-debt/agencies', body)).json()).toMatchObject({ code: 'conflict', message: expect.stringContaining('NWCOLL exists already') });
    const fields = (await api.as.auditor.get('/api/v1/bad-debt/placement-fields')).json().items.map((f: { field: string }) => f.field);
    expect(fields).toContain('balance_placed');
    expect(fields.some((f: string) => /ssn/.test(f))).toBe(false);
  });
});

describe('the daily job, placement, collections and recalls', () => {
  it('letters final accounts (not one under a bankruptcy alert or below the minimum), once a day', async () => {
    expect((await api.as.csr2.post('/api/v1/bad-debt/run', {})).statusCode).toBe(403);
    expect((await api.as.supervisor.post('/api/v1/bad-debt/run', { date: addDays(api.runtime.clock.today(), 1) })).json().message).toMatch(/after today/);
    const run = await api.as.supervisor.post('/api/v1/bad-debt/run', {});
    expect(run.statusCode, run.body).toBe(200);
    const r = run.json();
    expect(r).toMatchObject({ alreadyRun: false, accountsReviewed: 4, letters: 2, candidates: 0 });
    expect(r.actions.filter((x: { action: string }) => x.action === 'letter').map((x: { accountId: number }) => x.accountId).sort()).toEqual([a.account.id, mover.account.id].sort());
    const skipped = new Map(r.skipped.map((s: { accountId: number; why: string }) => [s.accountId, s.why]));
    expect(skipped.get(bankrupt.account.id)).toMatch(/Bankruptcy alert in force \(Chapter 7, case 26-01234\)/);
    expect(skipped.get(small.account.id)).toMatch(/Balance \$10\.00 is below the \$25\.00 minimum/);
    expect((await api.as.supervisor.post('/api/v1/bad-debt/run', {})).json()).toMatchObject({ alreadyRun: true, letters: 0 });
    const letters = (await api.as.auditor.get('/api/v1/bad-debt/letters')).json().items;
    expect(letters).toHaveLength(2);
    const pdf = await api.as.auditor.get(`/api/v1/bad-debt/letters/${letters[0].id}/letter.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await trail(`accountId=${a.account.id}&entityType=precollection_letter`)).map((e) => e.action)).toEqual(['precollection_letter']);
  });

  it('makes candidates after the wait; a CSR II places them by file in the agency layout', async () => {
    api.runtime.clock.advanceDays(1);
    await api.signInAgain();
    const r = (await api.as.supervisor.post('/api/v1/bad-debt/run', {})).json();
    expect(r).toMatchObject({ letters: 0, candidates: 2 });
    const list = (await api.as.auditor.get('/api/v1/bad-debt/candidates')).json().items;
    expect(list.map((c: { accountId: number }) => c.accountId).sort()).toEqual([a.account.id, mover.account.id].sort());
    expect(list[0]).toMatchObject({ source: 'run', letterDate: addDays(api.runtime.clock.today(), -1), balanceCents: expect.any(Number) });

    expect((await api.as.csr1.post('/api/v1/bad-debt/placement-files', { agencyId })).statusCode).toBe(403);
    expect((await api.as.csr2.post('/api/v1/bad-debt/placement-files', { agencyId, accountIds: [bankrupt.account.id] })).json().message).toMatch(new RegExp(`${bankrupt.account.id} are not placement candidates`));
    const made = await api.as.csr2.post('/api/v1/bad-debt/placement-files', { agencyId, accountIds: [a.account.id] });
    expect(made.statusCode, made.body).toBe(200);
    const { file, placed } = made.json();
    expect(placed).toHaveLength(1);
    const owed = await balance(a.account.id);
    expect(file).toMatchObject({ agencyCode: 'NWCOLL', placements: 1, totalCents: owed, placedOn: api.runtime.clock.today() });
    const lines = file.body.split('\r\n');
    expect(lines[0]).toBe('placement_id,account_number,customer_name,address_line1,address_line2,city,state,postal_code,phone,last_payment_date,final_bill_date,balance_placed,placement_date');
    expect(lines[1]).toBe(`${placed[0].id},${a.account.accountNumber},Abe Owing,3 Gone Away Road,,Wenatchee,WA,98801,,,${a.bill.billDate},${centsToDecimal(owed)},${api.runtime.clock.today()}`);
    const download = await api.as.auditor.get(`/api/v1/bad-debt/placement-files/${file.id}/file`);
    expect(download.headers['content-type']).toMatch(/^text\/csv/);
    expect(download.body).toBe(file.body);
    const state = (await api.as.auditor.get(`/api/v1/accounts/${a.account.id}/bad-debt`)).json();
    expect(state).toMatchObject({ balanceCents: owed, candidate: null, placements: [{ status: 'placed', agencyCode: 'NWCOLL', amountCents: owed }] });
    expect((await trail(`accountId=${a.account.id}&entityType=agency_placement`))[0]).toMatchObject({ action: 'place' });
  });

  it("posts an agency's remittance net of commission once; refuses one that does not add up, naming the line", async () => {
    const owed = await balance(a.account.id);
    const day = api.runtime.clock.today();
    const head = 'account_number,gross,commission,net,date,reference\n';
    const upload = (text: string, name = 'remit.csv') => api.as.csr2.upload(`/api/v1/bad-debt/remittances?agencyId=${agencyId}&fileName=${name}`, text, 'text/csv');
    const wrong = await upload(`${head}${a.account.accountNumber},20.00,7.00,13.00,${day},R1\n`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toBe('The remittance file was refused, nothing was posted: line 2: the commission $7.00 is not 30.00% of $20.00 ($6.00)');
    const stranger = await upload(`${head}${bankrupt.account.accountNumber},20.00,6.00,14.00,${day},R1\n`);
    expect(stranger.json().message).toMatch(`line 2: account ${bankrupt.account.accountNumber} was never placed with NWCOLL`);
    expect(await balance(a.account.id)).toBe(owed);
    expect((await api.as.csr1.upload(`/api/v1/bad-debt/remittances?agencyId=${agencyId}&fileName=x.csv`, `${head}${a.account.accountNumber},20.00,6.00,14.00,${day},R1\n`, 'text/csv')).statusCode).toBe(403);
    const good = `${head}${a.account.accountNumber},20.00,6.00,14.00,${day},R1\n`;
    const posted = await upload(good);
    expect(posted.statusCode, posted.body).toBe(200);
    expect(posted.json()).toMatchObject({ duplicate: false, records: 1, grossCents: 2000, commissionCents: 600, netCents: 1400, collections: [{ grossCents: 2000, commissionCents: 600, netCents: 1400 }] });
    expect(await balance(a.account.id)).toBe(owed - 2000);
    const batch = (await api.as.auditor.get(`/api/v1/payment-batches/${posted.json().batchId}`)).json();
    expect(batch).toMatchObject({ channel: 'agency', status: 'closed' });
    expect(batch.note).toMatch(/Northwest Collections \(NWCOLL\)/);
    expect((await upload(good, 'again.csv')).json()).toMatchObject({ duplicate: true, remittanceId: posted.json().remittanceId });
    expect(await balance(a.account.id)).toBe(owed - 2000);
    // Entered by hand: the commission defaults to the agency's 30%.
    const placementId = (await api.as.auditor.get(`/api/v1/accounts/${a.account.id}/bad-debt`)).json().placements[0].id;
    const byHand = await api.as.csr2.post(`/api/v1/bad-debt/placements/${placementId}/collections`, { grossCents: 1000, collectedOn: day, reference: 'R2' });
    expect(byHand.statusCode, byHand.body).toBe(201);
    expect(byHand.json()).toMatchObject({ commissionCents: 300, netCents: 700 });
    expect(await balance(a.account.id)).toBe(owed - 3000);
    expect((await trail(`accountId=${a.account.id}&entityType=agency_collection`))).toHaveLength(2);
  });

  it('recalls a placement and lists it in the recall file once', async () => {
    const placementId = (await api.as.auditor.get(`/api/v1/accounts/${a.account.id}/bad-debt`)).json().placements[0].id;
    expect((await api.as.csr2.post(`/api/v1/bad-debt/placements/${placementId}/recall`, { reason: 'other' })).statusCode).toBe(400);
    expect((await api.as.csr2.post(`/api/v1/bad-debt/placements/${placementId}/recall`, { reason: 'shrug' })).statusCode).toBe(400);
    const recalled = await api.as.csr2.post(`/api/v1/bad-debt/placements/${placementId}/recall`, { reason: 'dispute', note: 'Customer disputes the final read' });
    expect(recalled.statusCode, recalled.body).toBe(200);
    expect(recalled.json()).toMatchObject({ status: 'recalled', recallReason: 'dispute', recalledOn: api.runtime.clock.today() });
    expect((await api.as.csr2.post(`/api/v1/bad-debt/placements/${placementId}/recall`, { reason: 'paid' })).json().message).toMatch(/recalled already/);
    // The flag is off the account.
    expect((await customers.listAlerts(api.runtime.db, api.runtime.clock, a.account.id)).some((x) => x.active && x.kind === 'other')).toBe(false);
    const file = (await api.as.csr2.post('/api/v1/bad-debt/recall-files', { agencyId })).json().file;
    expect(file.recalls).toBe(1);
    expect(file.body).toContain(`CBPUD01,${placementId},${a.account.accountNumber},Abe Owing,`);
    expect(file.body).toContain(',dispute,Customer disputes the final read\r\n');
    expect((await api.as.csr2.post('/api/v1/bad-debt/recall-files', { agencyId })).json().file).toBeNull();
    // Not placed again by the job; staff may make it a candidate again.
    api.runtime.clock.advanceDays(1);
    await api.signInAgain();
    expect((await api.as.supervisor.post('/api/v1/bad-debt/run', {})).json()).toMatchObject({ candidates: 0 });
    const again = await api.as.csr2.post(`/api/v1/accounts/${a.account.id}/bad-debt/candidate`, { reason: 'Dispute resolved in our favour' });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ source: 'staff' });
  });
});

describe('write-offs and balance transfers', () => {
  it('writes off only with a second person, a supervisor', async () => {
    const owed = await balance(a.account.id);
    expect((await api.as.csr1.post(`/api/v1/accounts/${a.account.id}/bad-debt/write-off`, { reason: 'Uncollectable' })).statusCode).toBe(403);
    const asked = await api.as.supervisor.post(`/api/v1/accounts/${a.account.id}/bad-debt/write-off`, { reason: 'Uncollectable after the dispute' });
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json()).toMatchObject({ status: 'requested', requestedCents: owed, requestedBy: 't-supervisor' });
    expect((await api.as.csr2.post(`/api/v1/accounts/${a.account.id}/bad-debt/write-off`, { reason: 'Again' })).json().message).toMatch(/waiting for approval already/);
    const id = asked.json().id;
    expect((await api.as.csr2.post(`/api/v1/bad-debt/write-offs/${id}/approve`, { reason: 'Looks right' })).statusCode).toBe(403);
    const own = await api.as.supervisor.post(`/api/v1/bad-debt/write-offs/${id}/approve`, { reason: 'Looks right' });
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toBe(`Write-off ${id} was asked for by t-supervisor; another person must approve it`);
    const ok = await api.as.admin.post(`/api/v1/bad-debt/write-offs/${id}/approve`, { reason: 'Reviewed the file' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', amountCents: owed, decidedBy: 't-admin' });
    expect(await balance(a.account.id)).toBe(0);
    const list = (await api.as.auditor.get('/api/v1/bad-debt/write-offs?status=approved')).json();
    expect(list.items[0]).toMatchObject({ id, accountNumber: a.account.accountNumber });
    expect(list.totals).toMatchObject({ writtenOffCents: owed, writeOffs: 1 });
    expect((await trail(`accountId=${a.account.id}&entityType=write_off`)).map((e) => e.action)).toEqual(['approve', 'request']);
    // Nothing owing now: no second write-off.
    expect((await api.as.csr2.post(`/api/v1/accounts/${a.account.id}/bad-debt/write-off`, { reason: 'Again' })).json().message).toMatch(/owes nothing/);
  });

  it("moves a balance only to the same customer's active account, recalling a placement first", async () => {
    await api.as.csr2.post('/api/v1/bad-debt/placement-files', { agencyId, accountIds: [mover.account.id] });
    const owed = await balance(mover.account.id);
    const other = await customers.createAccount(api.runtime.db, system, api.runtime.clock, { customerId: a.customer.id, customerClass: 'residential', billingCycle: 4, billingAddress: a.address });
    const refused = await api.as.csr2.post(`/api/v1/accounts/${mover.account.id}/bad-debt/transfer`, { toAccountId: other.id, reason: 'Prior balance' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe(`Account ${mover.account.accountNumber} belongs to Dot Owing and account ${other.accountNumber} to Abe Owing: a balance moves only between one customer's accounts`);
    const own = await customers.createAccount(api.runtime.db, system, api.runtime.clock, { customerId: mover.customer.id, customerClass: 'residential', billingCycle: 4, billingAddress: mover.address });
    expect((await api.as.csr1.post(`/api/v1/accounts/${mover.account.id}/bad-debt/transfer`, { toAccountId: own.id, reason: 'Prior balance' })).statusCode).toBe(403);
    const moved = await api.as.csr2.post(`/api/v1/accounts/${mover.account.id}/bad-debt/transfer`, { toAccountId: own.id, reason: 'Prior balance to the new home' });
    expect(moved.statusCode, moved.body).toBe(201);
    const t = moved.json();
    expect(t).toMatchObject({ amountCents: owed, fromAccountId: mover.account.id, toAccountId: own.id, transferKey: `BT-${t.id}` });
    expect(await balance(mover.account.id)).toBe(0);
    expect(await balance(own.id)).toBe(owed);
    const out = (await ledger.entriesOf(api.runtime.db, { accountId: mover.account.id, after: 0, limit: 50 })).find((e) => e.id === t.outEntryId);
    const into = (await ledger.entriesOf(api.runtime.db, { accountId: own.id, after: 0, limit: 50 })).find((e) => e.id === t.inEntryId);
    expect(out).toMatchObject({ kind: 'transfer', reasonCode: 'TRANSFER_OUT', amountCents: -owed, reason: expect.stringContaining(t.transferKey) });
    expect(into).toMatchObject({ kind: 'transfer', reasonCode: 'TRANSFER_IN', amountCents: owed, reason: expect.stringContaining(t.transferKey) });
    const state = (await api.as.auditor.get(`/api/v1/accounts/${mover.account.id}/bad-debt`)).json();
    expect(state.placements[0]).toMatchObject({ status: 'recalled', recallReason: 'transferred', id: t.recalledPlacementId });
    expect((await trail(`accountId=${own.id}&entityType=balance_transfer`))[0]).toMatchObject({ action: 'transfer_in', reason: 'Prior balance to the new home' });
    expect((await api.as.csr2.post(`/api/v1/accounts/${mover.account.id}/bad-debt/transfer`, { toAccountId: own.id, reason: 'Again' })).json().message).toMatch(/owes nothing/);
    // The ledger's own reversal refuses a transfer entry: the bad-debt context owns it.
    expect((await api.as.supervisor.post(`/api/v1/ledger-entries/${t.outEntryId}/reverse`, { reason: 'Undo' })).statusCode).not.toBe(200);
  });

  it('lets the auditor read everything and change nothing', async () => {
    for (const url of ['/api/v1/bad-debt/final-accounts', '/api/v1/bad-debt/placements', '/api/v1/bad-debt/collections', '/api/v1/bad-debt/remittances', '/api/v1/bad-debt/placement-files', '/api/v1/bad-debt/recall-files', '/api/v1/bad-debt/runs', '/api/v1/bad-debt/agencies']) {
      expect((await api.as.auditor.get(url)).statusCode, url).toBe(200);
    }
    expect((await api.as.auditor.post('/api/v1/bad-debt/run', {})).statusCode).toBe(403);
    expect((await api.anonymous.get('/api/v1/bad-debt/placements')).statusCode).toBe(401);
  });
});
