-- Payments and fees on the ledger (C7, C9). A payment is one entry per service it pays (the
-- application split; an overpayment is an entry with no service, a credit), each pointing at the
-- payment (payments live in the payment context; referred to by id). A returned payment is undone
-- by reversal entries, and its fee is a 'fee' entry with a reason code.
alter table ledger_entries drop constraint ledger_entries_kind_check;
alter table ledger_entries add constraint ledger_entries_kind_check check (kind in ('bill', 'adjustment', 'reversal', 'payment', 'fee'));
alter table ledger_entries add column payment_id bigint;
alter table ledger_entries add constraint ledger_entries_payment_credit check (kind <> 'payment' or (amount_cents < 0 and payment_id is not null));
create index ledger_entries_payment on ledger_entries (payment_id) where payment_id is not null;
insert into adjustment_reasons (code, description) values
  ('RETURNED_PAYMENT_FEE', 'Returned payment fee');
