/**
 * Credit and collections (C13), first part: the yearly delinquency schedule. Each billing
 * schedule entry's due date is followed, in business days, by the late-fee date, the notice date
 * and the first day a disconnection may happen (see rules.ts); the schedule is made with the
 * billing schedule and again whenever a due date moves.
 */
import { recordChange } from '../audit/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { transact, type Db } from '../platform/db/database.ts';
import * as repo from './repository.ts';
import { delinquencySchedule, type DelinquencyEntry, type DelinquencySettings } from './rules.ts';

export type { DelinquencyEntry } from './rules.ts';

const toSettings = (s: Awaited<ReturnType<typeof repo.settings>>): DelinquencySettings => ({
  lateFeeBusinessDays: s.late_fee_business_days, noticeBusinessDays: s.notice_business_days,
  mailedNoticeBusinessDays: s.mailed_notice_business_days, outOfStateNoticeBusinessDays: s.out_of_state_notice_business_days,
});

const toEntry = (r: repo.DelinquencyRow): DelinquencyEntry & { billingScheduleId: number } => ({
  billingScheduleId: Number(r.billing_schedule_id), year: r.year, month: r.month, cycle: r.cycle, dueDate: r.due_date, pastDueDate: r.past_due_date, lateFeeDate: r.late_fee_date,
  noticeDate: r.notice_date, disconnectEligibleDate: r.disconnect_eligible_date, disconnectEligibleOutOfStateDate: r.disconnect_eligible_out_of_state_date,
});

/** Makes (or makes again) a year's delinquency schedule from its billing schedule. */
export async function generateDelinquencySchedule(db: Db, actor: Actor, clock: Clock, year: number, reason: string) {
  return transact(db, async (trx) => {
    const billingEntries = await repo.billingDueDates(trx, year);
    const settings = toSettings(await repo.settings(trx));
    const made = delinquencySchedule(billingEntries, settings);
    await repo.upsertSchedule(trx, made.map((e, i) => ({
      billing_schedule_id: billingEntries[i]!.billingScheduleId, year: e.year, cycle: e.cycle, month: e.month, due_date: e.dueDate, past_due_date: e.pastDueDate,
      late_fee_date: e.lateFeeDate, notice_date: e.noticeDate, disconnect_eligible_date: e.disconnectEligibleDate, disconnect_eligible_out_of_state_date: e.disconnectEligibleOutOfStateDate,
      updated_at: clock.now(), updated_by: actor.userId,
    })));
    await recordChange(trx, actor, { action: 'generate', entityType: 'delinquency_schedule', entityId: String(year), after: { year, entries: made.length, ...settings }, reason });
    return { year, entries: (await repo.scheduleOfYear(trx, year)).map(toEntry) };
  });
}

export async function delinquencyScheduleOfYear(db: Db, year: number) {
  return (await repo.scheduleOfYear(db, year)).map(toEntry);
}
