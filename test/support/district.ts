/** Builders for API tests of service orders and reads: customers, accounts, premises, meters. */
import { expect } from 'vitest';
import type { Client } from './api.ts';

let serialCounter = 0;
const town = { city: 'Wenatchee', state: 'WA', postalCode: '98801' };

export async function newAccount(c: Client, name: string, status?: 'pending' | 'active' | 'final' | 'closed') {
  const [firstName, lastName] = name.split(' ');
  const customer = (await c.post('/api/v1/customers', { kind: 'person', firstName, lastName })).json();
  const res = await c.post('/api/v1/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: 3, billingAddress: { line1: `${100 + (serialCounter % 800)} Orchard St`, ...town }, ...(status ? { status } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; accountNumber: string; status: string; customerId: number };
}

export async function newPremise(c: Client, line1: string, services: ('electric' | 'water' | 'fiber')[] = ['electric']) {
  const premise = (await c.post('/api/v1/premises', { address: { line1, ...town }, premiseType: 'single_family', area: 'WEN' })).json();
  const points: Record<string, { id: number }> = {};
  for (const service of services) {
    const res = await c.post(`/api/v1/premises/${premise.id}/service-points`, { service, status: 'inactive', route: 'R07' });
    expect(res.statusCode, res.body).toBe(201);
    points[service] = res.json();
  }
  return { premise: premise as { id: number }, points };
}

export async function newMeter(c: Client, opts: { kind?: 'electric' | 'water'; dials?: number; multiplier?: string } = {}) {
  serialCounter++;
  const kind = opts.kind ?? 'electric';
  const res = await c.post('/api/v1/meters', { serial: `${kind === 'electric' ? 'T' : 'W'}${Date.now() % 1_000_000}${serialCounter}`, kind, dials: opts.dials ?? 5, multiplier: opts.multiplier ?? '1' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; serial: string };
}

/** A meter set at a service point with its first (install) read. */
export async function setMeter(c: Client, servicePointId: number, date: string, reading: string, opts: Parameters<typeof newMeter>[1] = {}) {
  const meter = await newMeter(c, opts);
  const installed = await c.post(`/api/v1/meters/${meter.id}/install`, { servicePointId, installedOn: date, reason: 'Meter set' });
  expect(installed.statusCode, installed.body).toBe(201);
  const read = await c.post(`/api/v1/meters/${meter.id}/reads`, { readDate: date, reading, purpose: 'install' });
  expect(read.statusCode, read.body).toBe(201);
  return meter;
}

export async function read(c: Client, meterId: number, readDate: string, reading: string, extra: Record<string, unknown> = {}) {
  const res = await c.post(`/api/v1/meters/${meterId}/reads`, { readDate, reading, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { read: { id: number; usage: string | null; status: string; exceptions: { code: string }[] }; findings: { code: string }[] };
}

export async function order(c: Client, body: Record<string, unknown>) {
  const res = await c.post('/api/v1/service-orders', { reason: 'Customer request', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; number: string; status: string };
}

export async function complete(c: Client, orderId: number, fieldData: Record<string, unknown>, override?: string) {
  return c.post(`/api/v1/service-orders/${orderId}/complete`, { fieldData, ...(override ? { override } : {}) });
}

export async function usage(c: Client, servicePointId: number, from: string, to: string): Promise<string> {
  const res = await c.get(`/api/v1/service-points/${servicePointId}/usage?from=${from}&to=${to}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().usage;
}
