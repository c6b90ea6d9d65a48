import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, Reason } from '../platform/http/schemas.ts';
import * as collections from './service.ts';

const closed = { additionalProperties: false } as const;
const Year = Type.Integer({ minimum: 2000, maximum: 9998 });
const EntrySchema = Type.Object({
  billingScheduleId: Type.Integer(), year: Type.Integer(), month: Type.Integer(), cycle: Type.Integer(), dueDate: Type.String(), pastDueDate: Type.String(), lateFeeDate: Type.String(),
  noticeDate: Type.String(), disconnectEligibleDate: Type.String(), disconnectEligibleOutOfStateDate: Type.String(),
});

export function registerCollectionsRoutes(app: App, { db, clock }: Deps): void {
  const tags = ['collections'];
  app.get('/api/v1/collections/schedule', {
    config: { access: 'read' },
    schema: { tags, summary: "A year's delinquency schedule: per cycle and month, the due date, past-due, late-fee and notice dates and the first day a disconnection may happen", querystring: Type.Object({ year: Year }, closed), response: { 200: Type.Object({ items: Type.Array(EntrySchema) }) } },
  }, async (request) => ({ items: await collections.delinquencyScheduleOfYear(db, request.query.year) }));
  app.post('/api/v1/collections/schedule/generate', {
    config: { access: 'supervisor' },
    schema: { tags, summary: "Make a year's delinquency schedule again from its billing schedule (it is made with the billing schedule)", body: Type.Object({ year: Year, reason: Reason }, closed), response: { 200: Type.Object({ year: Type.Integer(), items: Type.Array(EntrySchema) }) } },
  }, async (request) => {
    const r = await collections.generateDelinquencySchedule(db, actorOf(request), clock, request.body.year, request.body.reason);
    return { year: r.year, items: r.entries };
  });
}
