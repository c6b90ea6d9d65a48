/**
 * Meter reads through the API: validation against history, estimation, the exceptions queue,
 * voids and corrections, and read files (CSV with a configured layout, Green Button from the
 * real sample files in ../shared/data/greenbutton).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type Client, type TestApi } from '../support/api.ts';
import { repoRoot } from '../support/cli.ts';
import { complete, newAccount, newMeter, newPremise, order, read, setMeter } from '../support/district.ts';

let api: TestApi;
let c: Client;
beforeAll(async () => {
  api = await createTestApi();
  c = api.as.csr2;
});
afterAll(() => api.close());

const sharedData = (...parts: string[]) => path.join(repoRoot, '..', 'shared', 'data', ...parts);

/** An occupied electric service with monthly reads of the given use from Jan 2025. */
async function withHistory(name: string, monthlyUse: number[], opts: { dials?: number; start?: number } = {}) {
  const account = await newAccount(c, name);
  const { points } = await newPremise(c, `${Math.floor(Math.random() * 9000) + 100} History Ave`);
  const sp = points.electric!.id;
  let register = opts.start ?? 1000;
  const meter = await setMeter(c, sp, '2025-01-01', String(register).padStart(opts.dials ?? 5, '0'), { dials: opts.dials ?? 5 });
  const mi = await order(c, { type: 'move_in', servicePointId: sp, accountId: account.id, effectiveDate: '2025-01-01', request: { rateCode: 'RES-E' } });
  await complete(c, mi.id, { read: { reading: String(register) } });
  const dates: string[] = [];
  for (let i = 0; i < monthlyUse.length; i++) {
    register += monthlyUse[i]!;
    const date = `${2025 + Math.floor((i + 1) / 12)}-${String(((i + 1) % 12) + 1).padStart(2, '0')}-01`;
    dates.push(date);
    await read(c, meter.id, date, String(register), { reason: 'Cycle read' });
  }
  return { account, sp, meter, register, dates };
}

describe('read validation', () => {
  it('flags a read far above last year and the recent average, and accepts it with a reason', async () => {
    // 12 months of ~600 kWh then a month of 3,000.
    const s = await withHistory('High Reader', [600, 610, 590, 600, 620, 580, 600, 605, 595, 600, 610, 600]);
    const high = await read(c, s.meter.id, '2026-02-01', String(s.register + 3000));
    expect(high.read.status).toBe('exception');
    expect(high.findings.map((f) => f.code).sort()).toEqual(['high_vs_average', 'high_vs_last_year']);
    expect(high.findings.find((f) => f.code === 'high_vs_average')).toMatchObject({ message: expect.stringContaining('the average of the last 3 read periods with use') });
    const queue = (await c.get('/api/v1/read-exceptions?code=high_vs_last_year&limit=200')).json().items;
    const mine = queue.find((e: { readId: number }) => e.readId === high.read.id);
    expect(mine).toMatchObject({ serial: s.meter.serial, accountNumber: s.account.accountNumber, usage: '3000', unit: 'kWh' });

    const all = (await c.get('/api/v1/read-exceptions?limit=200')).json().items.filter((e: { readId: number }) => e.readId === high.read.id);
    let last;
    for (const e of all) last = await c.post(`/api/v1/read-exceptions/${e.id}/accept`, { reason: 'Customer confirms a new hot tub' });
    expect(last!.json()).toMatchObject({ status: 'accepted' });
    expect((await c.get(`/api/v1/meter-reads/${high.read.id}`)).json().exceptions.map((e: { status: string }) => e.status)).toEqual(['accepted', 'accepted']);
    const again = await c.post(`/api/v1/read-exceptions/${all[0].id}/accept`, { reason: 'twice' });
    expect(again.statusCode).toBe(409);
  });

  it('accepts every exception of a read at once', async () => {
    const s = await withHistory('Both Highs', [600, 610, 590, 600, 620, 580, 600, 605, 595, 600, 610, 600]);
    const high = await read(c, s.meter.id, '2026-02-01', String(s.register + 2900));
    expect(high.findings).toHaveLength(2);
    const accepted = await c.post(`/api/v1/meter-reads/${high.read.id}/accept`, { reason: 'New electric car, confirmed by phone' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', exceptions: [{ status: 'accepted' }, { status: 'accepted' }] });
    expect((await c.post(`/api/v1/meter-reads/${high.read.id}/accept`, { reason: 'again please' })).statusCode).toBe(409);
    expect((await api.as.csr1.post(`/api/v1/meter-reads/${high.read.id}/accept`, { reason: 'csr1 may not' })).statusCode).toBe(403);
  });

  it('flags a read far below, zero use on an active service, and a register that went backwards', async () => {
    const s = await withHistory('Low Reader', [900, 880, 910, 905]);
    const low = await read(c, s.meter.id, '2025-06-01', String(s.register + 100));
    expect(low.findings.map((f) => f.code)).toEqual(['low_vs_average']);
    const zero = await read(c, s.meter.id, '2025-07-01', String(s.register + 100));
    expect(zero.findings.map((f) => f.code)).toEqual(['zero_use_active']);
    const back = await read(c, s.meter.id, '2025-08-01', String(s.register - 50));
    expect(back.findings.map((f) => f.code)).toEqual(['negative_use']);
    expect(back.read.usage).toBe('-150');
  });

  it('passes clean reads, and counts a wrap past the dials as a rollover', async () => {
    const s = await withHistory('Clean Reader', [700, 720, 710], { dials: 4, start: 7000 });
    // 7000 + 2130 = 9130; the next 900 kWh wraps a 4-dial register to 0030.
    const wrap = await read(c, s.meter.id, '2025-05-01', '0030');
    expect(wrap.read).toMatchObject({ status: 'valid', rollover: true, usage: '900' });
    expect(wrap.findings).toEqual([]);
    const dials = await c.post(`/api/v1/meters/${s.meter.id}/reads`, { readDate: '2025-06-01', reading: '12345' });
    expect(dials.statusCode).toBe(400);
    expect(dials.json().message).toContain('does not fit the 4 dials');
  });

  it('estimates a missing read by the stated rule and marks it', async () => {
    const s = await withHistory('Esti Mated', [300, 310, 290, 300, 305]);
    const est = await c.post(`/api/v1/meters/${s.meter.id}/reads/estimate`, { readDate: '2025-07-01', reason: 'Gate locked' });
    expect(est.statusCode, est.body).toBe(201);
    const r = est.json().read;
    expect(r).toMatchObject({ readType: 'estimated', source: 'estimate' });
    // The last three periods: 290 + 300 + 305 = 895 kWh over 31 + 30 + 31 = 92 days; 30 days to Jul 1.
    expect(r.estimateRule).toContain('average of the last 3 read periods: 895 kWh over 92 days');
    expect(Number(r.usage)).toBe(Math.round((895 / 92) * 30));
    const csr1 = await api.as.csr1.post(`/api/v1/meters/${s.meter.id}/reads/estimate`, { readDate: '2025-08-01', reason: 'Gate locked' });
    expect(csr1.statusCode).toBe(403);
  });

  it('voids and corrects a wrong read, measuring the next read from the right one', async () => {
    const s = await withHistory('Cora Rected', [400, 410]);
    const wrong = await read(c, s.meter.id, '2025-04-01', String(s.register + 4000));
    const next = await read(c, s.meter.id, '2025-05-01', String(s.register + 820));
    expect(next.read.usage).toBe('-3180');
    const fixed = await c.post(`/api/v1/meter-reads/${wrong.read.id}/correct`, { reading: String(s.register + 405), reason: 'Misread a digit' });
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect(fixed.json().voided.status).toBe('voided');
    expect(fixed.json().read).toMatchObject({ usage: '405', status: 'valid' });
    expect((await c.get(`/api/v1/meter-reads/${next.read.id}`)).json()).toMatchObject({ usage: '415', previousReadId: fixed.json().read.id });
    const history = (await c.get(`/api/v1/meters/${s.meter.id}/reads`)).json().items.map((r: { readDate: string; usage: string | null }) => [r.readDate, r.usage]);
    expect(history.slice(0, 2)).toEqual([['2025-05-01', '415'], ['2025-04-01', '405']]);
    expect((await c.post(`/api/v1/meter-reads/${wrong.read.id}/void`, { reason: 'again' })).statusCode).toBe(409);
  });
});

describe('read files', () => {
  const upload = (client: Client, query: string, body: Buffer | string, contentType = 'text/csv') => client.upload(`/api/v1/read-imports?${query}`, body, contentType);

  it('imports a CSV file once, rejecting unknown meters by line and holding implausible reads', async () => {
    const s = await withHistory('Csv Reader', [500, 520, 510]);
    const other = await withHistory('Csv Other', [200, 210, 190]);
    const csv = [
      'meter_serial,read_date,reading,note',
      `${s.meter.serial},2025-05-01,${s.register + 505},`,
      `NOPE-1,2025-05-01,100,unknown meter`,
      `${other.meter.serial},2025-05-01,${other.register + 5000},way high`,
      `${s.meter.serial},2025-06-01,${s.register + 1000},`,
    ].join('\n');
    const res = await upload(c, 'format=csv&fileName=route7-may.csv', csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ records: 4, imported: 3, rejected: 1, duplicates: 0, duplicate: false, exceptions: 1 });
    expect(res.json().rejections).toEqual([{ line: 3, serial: 'NOPE-1', reason: 'no meter with serial NOPE-1' }]);
    expect((await c.get(`/api/v1/meters/${s.meter.id}/reads?limit=2`)).json().items.map((r: { usage: string; source: string }) => [r.usage, r.source])).toEqual([['495', 'csv'], ['505', 'csv']]);

    const again = await upload(c, 'format=csv&fileName=route7-may-copy.csv', csv);
    expect(again.json()).toMatchObject({ duplicate: true, imported: 0, records: 4 });
    const list = (await c.get('/api/v1/read-imports')).json().items;
    expect(list[0]).toMatchObject({ fileName: 'route7-may.csv', records: 4, imported: 3, rejected: 1 });
    const original = await c.get(`/api/v1/read-imports/${list[0].id}/file`);
    expect(original.body).toBe(csv);
  });

  it('rejects a malformed CSV file whole, naming the line, and imports nothing', async () => {
    const s = await withHistory('Csv Bad', [500]);
    const before = (await c.get(`/api/v1/meters/${s.meter.id}/reads`)).json().items.length;
    const csv = `meter_serial,read_date,reading\n${s.meter.serial},2025-03-01,${s.register + 400}\n${s.meter.serial},2025-02-30,${s.register + 800}\n`;
    const res = await upload(c, 'format=csv&fileName=bad.csv', csv);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation', details: { field: 'file', line: 3 } });
    expect(res.json().message).toMatch(/^bad\.csv: line 3: .*2025-02-30.*nothing was imported$/);
    expect((await c.get(`/api/v1/meters/${s.meter.id}/reads`)).json().items.length).toBe(before);
    expect((await c.get('/api/v1/read-imports')).json().items.map((i: { fileName: string }) => i.fileName)).not.toContain('bad.csv');
  });

  it('reads a file in a stored column layout', async () => {
    const s = await withHistory('Layout Reader', [100, 110]);
    const layout = { code: 'handheld', delimiter: ';', header: false, columns: { meterSerial: 2, readDate: 1, reading: 3 }, dateFormat: 'DD.MM.YYYY' };
    const saved = await api.as.admin.request('PUT', '/api/v1/read-file-layouts', { layout, reason: 'Handheld export format' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await c.request('PUT', '/api/v1/read-file-layouts', { layout, reason: 'csr2 may not' })).statusCode).toBe(403);
    const res = await upload(c, 'format=csv&fileName=handheld.txt&layout=handheld', `01.04.2025;${s.meter.serial};${s.register + 120}\n`);
    expect(res.json()).toMatchObject({ records: 1, imported: 1 });
    const bad = await upload(c, 'format=csv&fileName=x.txt&layout=nope', 'x');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('no read file layout "nope"');
  });

  it('imports the Green Button sample files to the totals their README gives, once', async () => {
    const meter = await newMeter(c);
    const { points } = await newPremise(c, '1 Interval Way');
    await c.post(`/api/v1/meters/${meter.id}/install`, { servicePointId: points.electric!.id, installedOn: '2010-01-01', reason: 'Smart meter' });
    const small = fs.readFileSync(sharedData('greenbutton', 'electric_containerized.xml'));
    const res = await upload(c, `format=greenbutton&fileName=electric_containerized.xml&meter=${meter.serial}`, small, 'application/xml');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ records: 8, imported: 8, rejected: 0, duplicate: false });
    const d1 = (await c.get(`/api/v1/meters/${meter.id}/determinants?from=2011-01-01&to=2011-01-01`)).json();
    expect(d1.kwh).toBe('4.086');

    const nine = fs.readFileSync(sharedData('greenbutton', 'TestGBDataHourlyNineDaysBinnedDaily.xml'));
    const res2 = await upload(c, `format=greenbutton&fileName=nine-days.xml&meter=${meter.serial}`, nine, 'application/xml');
    expect(res2.json()).toMatchObject({ records: 216, imported: 216, rejected: 0 });
    // The file is on Eastern time; the district's days are Pacific, so its nine days span ten.
    const d2 = (await c.get(`/api/v1/meters/${meter.id}/determinants?from=2013-12-31&to=2014-01-09`)).json();
    expect(d2).toMatchObject({ kwh: '199.563', intervals: 216 });
    expect(Object.keys(d2.tou).sort()).toEqual(['off_peak', 'on_peak']);
    expect(Number(d2.tou.on_peak) + Number(d2.tou.off_peak)).toBeCloseTo(199.563, 6);
    expect(Number(d2.maxKw)).toBeGreaterThan(0);

    expect((await upload(c, `format=greenbutton&fileName=again.xml&meter=${meter.serial}`, nine, 'application/xml')).json()).toMatchObject({ duplicate: true, imported: 0 });
  });

  it('rejects a truncated Green Button file whole, naming the element, and one with no meter', async () => {
    const meter = await setMeter(c, (await newPremise(c, '2 Interval Way')).points.electric!.id, '2010-01-01', '00000');
    const xml = fs.readFileSync(sharedData('greenbutton', 'TestGBDataHourlyNineDaysBinnedDaily.xml'), 'utf8');
    const cut = await upload(c, `format=greenbutton&fileName=cut.xml&meter=${meter.serial}`, xml.slice(0, Math.floor(xml.length / 2)), 'application/xml');
    expect(cut.statusCode).toBe(400);
    expect(cut.json().message).toMatch(/^cut\.xml: .+; nothing was imported$/);
    const noValue = xml.replace(/<value>\d+<\/value>/, '');
    const missing = await upload(c, `format=greenbutton&fileName=novalue.xml&meter=${meter.serial}`, noValue, 'application/xml');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toContain('IntervalReading 1');
    const noMeter = await upload(c, 'format=greenbutton&fileName=x.xml', `${xml}\n`, 'application/xml');
    expect(noMeter.json().details.field).toBe('meterSerial');
    const d = (await c.get(`/api/v1/meters/${meter.id}/determinants?from=2013-12-31&to=2014-01-09`)).json();
    expect(d.intervals).toBe(0);
  });
});

