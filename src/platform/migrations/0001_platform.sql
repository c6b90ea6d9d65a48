-- Shared database ground: extensions and the guard that keeps append-only tables append-only.
create extension if not exists pg_trgm;

create or replace function forbid_change() returns trigger language plpgsql as $$
begin
  raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'check_violation';
end $$;
