-- Security deposits and refunds on the ledger (C10, C11). A deposit instalment is a charge
-- ('deposit', positive) paid like any other; the deposit held is then the district's liability,
-- kept by the deposit context, not part of the balance. Returned after good payment, or applied
-- to a final bill, it comes back as credits ('deposit', negative: the deposit and its interest).
-- A refund takes a credit off the account ('refund', positive); a refund check the post office
-- returns is undone by a reversal.
alter table ledger_entries drop constraint ledger_entries_kind_check;
alter table ledger_entries add constraint ledger_entries_kind_check check (kind in ('bill', 'adjustment', 'reversal', 'payment', 'fee', 'budget', 'deposit', 'refund'));
alter table ledger_entries add constraint ledger_entries_deposit_reason check (kind <> 'deposit' or reason_code in ('DEPOSIT_BILLED', 'DEPOSIT_CANCELLED', 'DEPOSIT_RETURNED', 'DEPOSIT_INTEREST'));
alter table ledger_entries add constraint ledger_entries_refund_credit check (kind <> 'refund' or amount_cents > 0);
insert into adjustment_reasons (code, description, active) values
  ('DEPOSIT_BILLED', 'Security deposit instalment', false),
  ('DEPOSIT_CANCELLED', 'Security deposit instalment no longer owed', false),
  ('DEPOSIT_RETURNED', 'Security deposit returned to the account', false),
  ('DEPOSIT_INTEREST', 'Interest on the security deposit', false),
  ('REFUND', 'Refund paid to the customer', false),
  ('SOLAR_CREDIT', 'Net-metering credit paid out under district policy', false);
