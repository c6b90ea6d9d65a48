-- Deceased settings: the creditor-claim period after the first publication of the probate notice
-- (RCW 11.40.051: 4 months), and how many days ahead the list of claims due warns.
create table deceased_settings (
  id boolean primary key default true check (id),
  claim_months smallint not null default 4 check (claim_months between 1 and 36),
  warn_days smallint not null default 14 check (warn_days between 1 and 120),
  updated_at timestamptz,
  updated_by bigint
);
insert into deceased_settings default values;
