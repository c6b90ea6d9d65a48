-- Credit and collections on the ledger (C13-C15).
-- Fees the collections run and the field charge ('fee', positive): late fee, field collection,
-- reconnect and after-hours reconnect.
-- Bad debt ('writeoff'): a final account's balance written off (negative), the commission an
-- agency kept from what it collected (negative), a bankruptcy discharge of pre-petition debt
-- (negative), and a written-off balance reinstated when money comes later (positive).
-- A prior balance moved to the same customer's new account ('transfer'): out of the old account
-- (negative) and into the new one (positive), with the same transfer key in both reasons.
alter table ledger_entries drop constraint ledger_entries_kind_check;
alter table ledger_entries add constraint ledger_entries_kind_check check (kind in ('bill', 'adjustment', 'reversal', 'payment', 'fee', 'budget', 'deposit', 'refund', 'writeoff', 'transfer'));
alter table ledger_entries add constraint ledger_entries_writeoff_reason check (kind <> 'writeoff' or reason_code in ('WRITE_OFF', 'WRITE_OFF_REINSTATED', 'AGENCY_COMMISSION', 'BANKRUPTCY_DISCHARGE'));
alter table ledger_entries add constraint ledger_entries_transfer_reason check (kind <> 'transfer' or reason_code in ('TRANSFER_OUT', 'TRANSFER_IN'));
insert into adjustment_reasons (code, description, active) values
  ('LATE_FEE', 'Late payment fee', false),
  ('FIELD_COLLECTION_FEE', 'Field collection visit fee', false),
  ('RECONNECT_FEE', 'Reconnection fee', false),
  ('RECONNECT_AFTER_HOURS_FEE', 'After-hours reconnection fee', false),
  ('WRITE_OFF', 'Balance written off to bad debt', false),
  ('WRITE_OFF_REINSTATED', 'Written-off balance reinstated', false),
  ('AGENCY_COMMISSION', 'Collection agency commission on an amount it collected', false),
  ('BANKRUPTCY_DISCHARGE', 'Pre-petition debt discharged in bankruptcy', false),
  ('TRANSFER_OUT', 'Balance moved to the customer''s other account', false),
  ('TRANSFER_IN', 'Balance moved from the customer''s other account', false);
