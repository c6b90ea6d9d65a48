-- Budget billing on the ledger (C6). A budget-billed account's bills post as usual, and each is
-- deferred by a 'budget' entry of the opposite amount (same service, pointing at the bill); each
-- month the budget amount is charged instead (a 'budget' entry with no service). The deferred
-- balance is what the budget entries leave unbilled: minus their sum. At the settle-up, and when
-- the plan ends, one more budget entry puts the deferred balance due.
alter table ledger_entries drop constraint ledger_entries_kind_check;
alter table ledger_entries add constraint ledger_entries_kind_check check (kind in ('bill', 'adjustment', 'reversal', 'payment', 'fee', 'budget'));
alter table ledger_entries add constraint ledger_entries_budget_reason check (kind <> 'budget' or reason_code in ('BUDGET_DEFER', 'BUDGET_UNDEFER', 'BUDGET_INSTALMENT', 'BUDGET_SETTLE_UP', 'BUDGET_ENDED'));
-- A bill is deferred once, and brought back once if it is cancelled.
create unique index ledger_entries_budget_bill on ledger_entries (bill_id, reason_code) where kind = 'budget' and bill_id is not null;
create index ledger_entries_budget on ledger_entries (account_id) where kind = 'budget';
insert into adjustment_reasons (code, description, active) values
  ('BUDGET_DEFER', 'Budget billing: bill deferred', false),
  ('BUDGET_UNDEFER', 'Budget billing: cancelled bill no longer deferred', false),
  ('BUDGET_INSTALMENT', 'Budget billing: monthly budget amount', false),
  ('BUDGET_SETTLE_UP', 'Budget billing: yearly settle-up of the deferred balance', false),
  ('BUDGET_ENDED', 'Budget billing ended: deferred balance due', false);
