/**
 * Energy assistance through the API: who may do what (a supervisor sets up agencies and programs,
 * a CSR I records pledges and posts agency checks, a CSR II cancels pledges, imports agency files
 * and runs the review, an auditor only reads), the refusals that name the rule, an agency check
 * whose items do not add up posting nothing, an item for an account that is not ours going to the
 * suspense queue (not to a guess), agency files taken once and refused whole when malformed, the
 * report as JSON and CSV, and the audit trail of every change with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger } from '../../src/ledger/index.ts';
import { systemActor } from '../../src/platform/actor.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { newAccount } from '../support/district.ts';
import { snapshotAllTables } from '../support/snapshot.ts';

let api: TestApi;
let agencyId: number;
let liheap: number;
let crisis: number;
let today: string;

/** An account owing `cents` (an old charge on its ledger). */
async function owing(name: string, cents: number) {
  const account = await newAccount(api.as.csr2, name);
  await ledger.adjust(api.runtime.db, systemActor('test'), api.runtime.clock, { accountId: account.id, amountCents: cents, reasonCode: 'OTHER', reason: 'Winter bills unpaid', entryDate: today });
  return account;
}
const pledge = async (accountId: number, body: Record<string, unknown>, as = api.as.csr1) => as.post(`/api/v1/accounts/${accountId}/pledges`, { reason: 'Agency faxed the pledge', ...body });
const balance = async (accountId: number) => (await api.as.auditor.get(`/api/v1/accounts/${accountId}/ledger?limit=1`)).json().balanceCents as number;
const alerts = async (accountId: number) => ((await api.as.auditor.get(`/api/v1/accounts/${accountId}/alerts`)).json().items as { kind: string; active: boolean; clearedAt: string | null }[]).filter((a) => a.kind === 'pledge_pending');

beforeAll(async () => {
  api = await createTestApi();
  today = api.runtime.clock.today();
  expect((await api.as.csr2.post('/api/v1/assistance/agencies', { code: 'CDCAC', name: 'Chelan-Douglas Community Action Council' })).statusCode).toBe(403);
  const agency = await api.as.supervisor.post('/api/v1/assistance/agencies', { code: 'cdcac', name: 'Chelan-Douglas Community Action Council', contactName: 'Energy desk', phone: '(509) 555-0177', reason: 'Agency agreement signed' });
  expect(agency.statusCode, agency.body).toBe(201);
  expect(agency.json()).toMatchObject({ code: 'CDCAC', active: true, fileLayout: null });
  agencyId = agency.json().id;
  const a = await api.as.supervisor.post('/api/v1/assistance/programs', { agencyId, code: 'LIHEAP', name: 'Low Income Home Energy Assistance Program', fundingYear: 2027, seasonFrom: '2026-10-01', seasonTo: '2027-09-30' });
  expect(a.statusCode, a.body).toBe(201);
  liheap = a.json().id;
  const b = await api.as.supervisor.post('/api/v1/assistance/programs', { agencyId, code: 'CRISIS', name: 'Winter crisis fund', lowIncome: true });
  crisis = b.json().id;
  expect((await api.as.supervisor.post('/api/v1/assistance/programs', { agencyId, code: 'LIHEAP', name: 'Again' })).statusCode).toBe(409);
});
afterAll(() => api?.close());

describe('energy assistance API', () => {
  it('lets each role do its part, holds collection while a pledge is open, and keeps every change in the audit trail', async () => {
    const account = await owing('Pledged Pat', 30000);
    expect((await pledge(account.id, { programId: liheap, amountCents: 20000 }, api.as.auditor)).statusCode).toBe(403);
    const made = await pledge(account.id, { programId: liheap, amountCents: 20000, reference: 'LI-0001' });
    expect(made.statusCode, made.body).toBe(201);
    const p = made.json();
    // The default validity: 30 days from today.
    const expires = new Date(Date.parse(`${today}T12:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    expect(p).toMatchObject({ status: 'open', amountCents: 20000, receivedCents: 0, outstandingCents: 20000, pledgedOn: today, expiresOn: expires, holdsCollection: true, flag: null, agencyCode: 'CDCAC', programCode: 'LIHEAP', accountNumber: account.accountNumber });
    expect(await alerts(account.id)).toEqual([expect.objectContaining({ active: true })]);
    const mine = (await api.as.auditor.get(`/api/v1/accounts/${account.id}/pledges`)).json();
    expect(mine).toMatchObject({ holding: { pledgeId: p.id, expiresOn: expires, amountCents: 20000, outstandingCents: 20000 }, assistanceEligible: true });

    expect((await api.as.csr1.post(`/api/v1/assistance/pledges/${p.id}/cancel`, { reason: 'Agency withdrew it' })).statusCode).toBe(403);
    const cancelled = await api.as.csr2.post(`/api/v1/assistance/pledges/${p.id}/cancel`, { reason: 'Agency withdrew it' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', holdsCollection: false, cancelReason: 'Agency withdrew it' });
    expect(await alerts(account.id)).toEqual([expect.objectContaining({ active: false, clearedAt: expect.any(String) })]);
    expect((await api.as.csr2.post(`/api/v1/assistance/pledges/${p.id}/cancel`, { reason: 'Again' })).statusCode).toBe(409);
    expect((await api.as.auditor.get(`/api/v1/accounts/${account.id}/pledges`)).json()).toMatchObject({ holding: null, assistanceEligible: false });

    const trail = (await api.as.auditor.get(`/api/v1/audit?accountId=${account.id}&entityType=assistance_pledge`)).json();
    expect(trail.items.map((e: { action: string; reason: string }) => [e.action, e.reason])).toEqual([['cancel', 'Agency withdrew it'], ['create', 'Agency faxed the pledge']]);
    const setup = (await api.as.auditor.get('/api/v1/audit?entityType=assistance_agency')).json();
    expect(setup.items.map((e: { action: string; reason: string }) => [e.action, e.reason])).toEqual([['create', 'Agency agreement signed']]);
  });

  it('refuses a pledge for an unknown account or program, a non-positive amount, an expiry before the pledge, a future pledge, a repeated reference and an inactive program', async () => {
    const account = await owing('Refused Rita', 5000);
    expect((await pledge(999999, { programId: liheap, amountCents: 100 })).statusCode).toBe(404);
    expect((await pledge(account.id, { programId: 999999, amountCents: 100 })).json()).toMatchObject({ code: 'not_found', message: 'Program 999999 was not found' });
    for (const amountCents of [0, -100]) expect((await pledge(account.id, { programId: liheap, amountCents })).statusCode).toBe(400);
    expect((await pledge(account.id, { programId: liheap, amountCents: 100, amountDollars: 1 })).json().message).toMatch(/amountDollars/);
    const early = await pledge(account.id, { programId: liheap, amountCents: 100, pledgedOn: '2026-11-01', expiresOn: '2026-10-31' });
    expect(early.statusCode).toBe(400);
    expect(early.json().message).toMatch(/expiresOn: 2026-10-31 is before the pledge date 2026-11-01/);
    expect((await pledge(account.id, { programId: liheap, amountCents: 100, pledgedOn: '2099-01-01' })).json().message).toMatch(/after today/);
    expect((await api.as.csr1.post(`/api/v1/accounts/${account.id}/pledges`, { programId: liheap, amountCents: 100 })).statusCode).toBe(400);
    expect((await pledge(account.id, { programId: crisis, amountCents: 100, reference: 'CR-7' })).statusCode).toBe(201);
    expect((await pledge(account.id, { programId: crisis, amountCents: 100, reference: 'CR-7' })).statusCode).toBe(409);
    const inactive = await api.as.supervisor.post('/api/v1/assistance/programs', { agencyId, code: 'OLD', name: 'Old fund', lowIncome: false });
    expect((await api.as.supervisor.patch(`/api/v1/assistance/programs/${inactive.json().id}`, { active: false, reason: 'Fund closed' })).statusCode).toBe(200);
    expect((await pledge(account.id, { programId: inactive.json().id, amountCents: 100 })).json()).toMatchObject({ code: 'conflict', message: expect.stringMatching(/not active/) });
  });

  it("applies an agency check against the accounts' pledges; an item for an account that is not ours goes to suspense in the same batch", async () => {
    const a = await owing('Check Carla', 25000);
    const b = await owing('Check Chris', 18000);
    const pa = (await pledge(a.id, { programId: liheap, amountCents: 15000, reference: 'LI-100' })).json();
    const pb = (await pledge(b.id, { programId: crisis, amountCents: 18000 })).json();
    const body = {
      agencyId, checkNumber: '0077123', receivedOn: today, totalCents: 15000 + 10000 + 4200,
      items: [{ accountNumber: a.accountNumber, amountCents: 15000 }, { accountId: b.id, amountCents: 10000 }, { accountNumber: '123456789', amountCents: 4200 }],
    };
    expect((await api.as.auditor.post('/api/v1/assistance/agency-payments', body)).statusCode).toBe(403);
    const posted = await api.as.csr1.post('/api/v1/assistance/agency-payments', body);
    expect(posted.statusCode, posted.body).toBe(201);
    const r = posted.json();
    expect(r).toMatchObject({ agencyCode: 'CDCAC', source: 'check', checkNumber: '0077123', totalCents: 29200, applied: 2, suspense: 1, replayed: false });
    expect(r.items.map((i: Record<string, unknown>) => [i.itemNo, i.status, i.accountId, i.pledgeId, i.pledgeStatus, i.amountCents])).toEqual([
      [1, 'applied', a.id, pa.id, 'paid', 15000], [2, 'applied', b.id, pb.id, 'partial', 10000], [3, 'suspense', null, null, null, 4200],
    ]);
    expect(await balance(a.id)).toBe(10000);
    expect(await balance(b.id)).toBe(8000);
    expect(await alerts(a.id)).toEqual([expect.objectContaining({ active: false })]);
    expect(await alerts(b.id)).toEqual([expect.objectContaining({ active: true })]);
    // One closed batch of the agency channel, on the check's date, holding all three.
    const batch = (await api.as.auditor.get(`/api/v1/payment-batches/${r.batchId}`)).json();
    expect(batch).toMatchObject({ channel: 'agency', status: 'closed', businessDate: today, count: 3, totalCents: 29200 });
    const suspense = (await api.as.auditor.get('/api/v1/payment-suspense')).json().items;
    expect(suspense).toEqual([expect.objectContaining({ id: r.items[2].paymentId, accountId: null, status: 'suspense', channel: 'agency', accountRef: '123456789', amountCents: 4200 })]);

    // The same check again: the first posting; with other items: a conflict.
    const again = await api.as.csr1.post('/api/v1/assistance/agency-payments', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: r.id, replayed: true });
    expect((await api.as.csr1.post('/api/v1/assistance/agency-payments', { ...body, items: [{ accountId: b.id, amountCents: 29200 }] })).statusCode).toBe(409);
    expect(await balance(b.id)).toBe(8000);

    // Staff apply the suspense item to b; the review then records it against b's pledge.
    expect((await api.as.csr1.post(`/api/v1/payments/${r.items[2].paymentId}/apply`, { accountId: b.id, reason: 'Agency called: the account number had a typo' })).statusCode).toBe(200);
    expect((await api.as.csr1.post('/api/v1/assistance/review', {})).statusCode).toBe(403);
    const reviewed = (await api.as.csr2.post('/api/v1/assistance/review', {})).json();
    expect(reviewed).toMatchObject({ date: today, expired: 0, matched: 1 });
    expect((await api.as.auditor.get(`/api/v1/assistance/pledges/${pb.id}`)).json()).toMatchObject({ status: 'partial', receivedCents: 14200, outstandingCents: 3800 });
    expect((await api.as.csr2.post('/api/v1/assistance/review', {})).json()).toMatchObject({ expired: 0, matched: 0 });
  });

  it('refuses a check whose items do not add up to it, and a pledge of another account or agency, posting nothing', async () => {
    const a = await owing('Sum Sam', 9000);
    const other = await owing('Other Olga', 9000);
    const p = (await pledge(a.id, { programId: liheap, amountCents: 9000 })).json();
    const before = await snapshotAllTables(api.runtime.db);
    const short = await api.as.csr1.post('/api/v1/assistance/agency-payments', { agencyId, checkNumber: '555', receivedOn: today, totalCents: 10000, items: [{ accountId: a.id, amountCents: 9000 }] });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: 'validation', details: { totalCents: 10000, itemsCents: 9000, differenceCents: 1000 } });
    expect(short.json().message).toBe('The items come to $90.00 but the check is $100.00 (short by $10.00): nothing was posted');
    const wrong = await api.as.csr1.post('/api/v1/assistance/agency-payments', { agencyId, checkNumber: '556', receivedOn: today, totalCents: 9000, items: [{ accountId: other.id, pledgeId: p.id, amountCents: 9000 }] });
    expect(wrong.json().message).toMatch(/item 1: pledge \d+ is on account \d{9}, not id \d+: nothing was posted/);
    const future = await api.as.csr1.post('/api/v1/assistance/agency-payments', { agencyId, checkNumber: '557', receivedOn: '2099-01-01', totalCents: 9000, items: [{ accountId: a.id, amountCents: 9000 }] });
    expect(future.statusCode).toBe(400);
    const none = await api.as.csr1.post('/api/v1/assistance/agency-payments', { agencyId, checkNumber: '558', receivedOn: today, totalCents: 9000, items: [{ amountCents: 9000 }] });
    expect(none.json().message).toMatch(/item 1 names no account or pledge/);
    expect(await snapshotAllTables(api.runtime.db)).toEqual(before);
    // A pledge named alone: its account.
    const byPledge = await api.as.csr1.post('/api/v1/assistance/agency-payments', { agencyId, checkNumber: '559', receivedOn: today, totalCents: 9000, items: [{ pledgeId: p.id, amountCents: 9000 }] });
    expect(byPledge.json()).toMatchObject({ items: [{ accountId: a.id, pledgeId: p.id, pledgeStatus: 'paid', status: 'applied' }] });
    expect(await balance(a.id)).toBe(0);
  });

  it('imports an agency file once, matching pledge numbers and accounts; refuses a malformed file whole, naming the line', async () => {
    const a = await owing('File Fay', 12000);
    const b = await owing('File Fred', 8000);
    const pa = (await pledge(a.id, { programId: liheap, amountCents: 12000, reference: 'LI-F1' })).json();
    const pb = (await pledge(b.id, { programId: crisis, amountCents: 8000, reference: 'CR-F2' })).json();
    const csv = [
      'Agency Code,Pledge Number,Account Number,Customer Name,Amount,Payment Date,Check Number',
      `CDCAC,LI-F1,${a.accountNumber},File Fay,120.00,${today},9001`,
      `CDCAC,CR-F2,,File Fred,"$50.00",${today},9001`,
      `CDCAC,LI-404,100000001,Nobody Here,25.50,${today},9001`,
    ].join('\r\n');
    const upload = (body: string, query = 'fileName=cdcac-nov.csv', as = api.as.csr2) => as.upload(`/api/v1/assistance/imports?${query}`, body, 'text/csv');
    expect((await upload(csv, undefined, api.as.csr1)).statusCode).toBe(403);
    const res = await upload(csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ duplicate: false, records: 3, applied: 2, suspense: 1, totalCents: 19550, detail: { suspenseItems: [{ line: 4, accountRef: '100000001', pledgeRef: 'LI-404', amountCents: 2550 }] } });
    expect((await api.as.auditor.get(`/api/v1/assistance/pledges/${pa.id}`)).json()).toMatchObject({ status: 'paid', receivedCents: 12000 });
    expect((await api.as.auditor.get(`/api/v1/assistance/pledges/${pb.id}`)).json()).toMatchObject({ status: 'partial', receivedCents: 5000 });
    expect(await balance(b.id)).toBe(3000);
    const again = await upload(csv, 'fileName=again.csv');
    expect(again.json()).toMatchObject({ duplicate: true, importId: res.json().importId });
    expect(await balance(b.id)).toBe(3000);
    const kept = await api.as.auditor.get(`/api/v1/assistance/imports/${res.json().importId}/file`);
    expect(kept.body).toBe(csv);

    const before = await snapshotAllTables(api.runtime.db);
    const bad = await upload(csv.replace('"$50.00"', 'fifty'), 'fileName=bad.csv');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation', details: { line: 3, reason: 'amount "fifty" is not an amount of dollars and cents' } });
    expect(bad.json().message).toMatch(/^The agency file was refused, nothing was posted: line 3: /);
    const unknownAgency = await upload(csv.replace(`CDCAC,CR-F2`, 'NOPE,CR-F2'), 'fileName=bad2.csv');
    expect(unknownAgency.json().details).toEqual({ line: 3, reason: 'agency code NOPE is not an agency of ours' });
    expect((await upload('Agency Code,Amount\nCDCAC,1.00\n', 'fileName=bad3.csv')).json().details.reason).toMatch(/Payment Date/);
    expect(await snapshotAllTables(api.runtime.db)).toEqual(before);
  });

  it("lets a supervisor change the default validity and an agency's file layout, with a reason; a bad layout names its field", async () => {
    expect((await api.as.csr2.patch('/api/v1/assistance/settings', { defaultValidityDays: 45, reason: 'Agency letters are good for 45 days' })).statusCode).toBe(403);
    expect((await api.as.supervisor.patch('/api/v1/assistance/settings', { defaultValidityDays: 45 })).statusCode).toBe(400);
    const set = await api.as.supervisor.patch('/api/v1/assistance/settings', { defaultValidityDays: 45, reason: 'Agency letters are good for 45 days' });
    expect(set.json()).toEqual({ defaultValidityDays: 45 });
    const account = await owing('Later Lou', 1000);
    const p = (await pledge(account.id, { programId: crisis, amountCents: 1000, pledgedOn: '2026-11-01' })).json();
    expect(p.expiresOn).toBe('2026-12-16');
    expect((await api.as.supervisor.patch('/api/v1/assistance/settings', { defaultValidityDays: 30, reason: 'Back to 30 days' })).statusCode).toBe(200);

    const bad = await api.as.supervisor.patch(`/api/v1/assistance/agencies/${agencyId}`, { fileLayout: { code: 'x', delimiter: ',', header: true, columns: { amount: 'Amt' }, dateFormat: 'auto', amountFormat: 'decimal' }, reason: 'New file from the agency' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^fileLayout: agency file layout columns.paymentDate is required/);
    const layout = { code: 'cdcac-2027', delimiter: ';', header: false, columns: { accountNumber: 1, amount: 2, paymentDate: 3 }, dateFormat: 'YYYYMMDD', amountFormat: 'cents' };
    const ok = await api.as.supervisor.patch(`/api/v1/assistance/agencies/${agencyId}`, { fileLayout: layout, reason: 'New file from the agency' });
    expect(ok.json()).toMatchObject({ fileLayout: layout });
    const res = await api.as.csr2.upload(`/api/v1/assistance/imports?fileName=layout.csv&agency=CDCAC`, `${account.accountNumber};1000;${today.replaceAll('-', '')}\n`, 'text/csv');
    expect(res.json()).toMatchObject({ records: 1, applied: 1, totalCents: 1000 });
    expect((await api.as.auditor.get(`/api/v1/assistance/pledges/${p.id}`)).json()).toMatchObject({ status: 'paid' });
    expect((await api.as.supervisor.patch(`/api/v1/assistance/agencies/${agencyId}`, { fileLayout: null, reason: 'Back to the default file' })).json()).toMatchObject({ fileLayout: null });
    const trail = (await api.as.auditor.get(`/api/v1/audit?entityType=assistance_agency`)).json();
    expect(trail.items.map((e: { action: string; reason: string }) => [e.action, e.reason]).slice(0, 2)).toEqual([['update', 'Back to the default file'], ['update', 'New file from the agency']]);
  });

  it('reports pledged, received, outstanding, expired and short by agency and program, as JSON and CSV', async () => {
    const report = await api.as.auditor.get(`/api/v1/assistance/report?from=${today}&to=${today}`);
    expect(report.statusCode, report.body).toBe(200);
    const r = report.json();
    const row = (code: string) => r.programs.find((p: { programCode: string }) => p.programCode === code);
    // LIHEAP: 150.00, 90.00 and 120.00 paid (and Pat's 200.00 cancelled); crisis: 1.00 open, 180.00 with 142.00 in, 80.00 with 50.00 in.
    expect(row('LIHEAP')).toMatchObject({ agencyCode: 'CDCAC', pledgedCount: 3, pledgedCents: 36000, receivedCents: 36000, outstandingCents: 0, expiredCount: 0, cancelledCount: 1 });
    expect(row('CRISIS')).toMatchObject({ pledgedCount: 3, pledgedCents: 26100, receivedCents: 19200, outstandingCents: 6900 });
    expect(row('OLD')).toMatchObject({ pledgedCount: 0, pledgedCents: 0 });
    expect(r.total.pledgedCents).toBe(r.programs.reduce((a: number, p: { pledgedCents: number }) => a + p.pledgedCents, 0));
    expect(r.total.receivedCents).toBe(15000 + 9000 + 12000 + 10000 + 4200 + 5000);
    expect(r.total.outstandingCents).toBe(r.programs.reduce((a: number, p: { outstandingCents: number }) => a + p.outstandingCents, 0));
    const csv = await api.as.auditor.get(`/api/v1/assistance/report.csv?from=${today}`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('Agency code,Agency,Program code,Program,Pledges,Pledged,Received,Outstanding,Expired pledges,Expired unpaid,Short pledges,Cancelled pledges,Pledged from,Pledged to');
    expect(lines.at(-1)).toMatch(/^,All agencies,,All programs,\d+,\d+\.\d\d,552\.00,/);
    expect((await api.as.auditor.get('/api/v1/assistance/report?from=2026-12-01&to=2026-11-01')).statusCode).toBe(400);
  });
});
