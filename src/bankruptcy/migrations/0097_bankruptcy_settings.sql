-- Bankruptcy settings: the days after the petition within which the adequate-assurance deposit
-- is due (11 U.S.C. 366: 20 days), and whether one is asked when a case is recorded.
create table bankruptcy_settings (
  id boolean primary key default true check (id),
  assurance_days smallint not null default 20 check (assurance_days between 1 and 365),
  ask_assurance boolean not null default true,
  updated_at timestamptz,
  updated_by bigint
);
insert into bankruptcy_settings default values;
