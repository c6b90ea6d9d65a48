-- Account search at a million accounts (issue 2): the meter branch joins installations by meter,
-- and the trigram indexes on addresses get finer statistics so the planner sees how selective a
-- street fragment is instead of guessing.
create index meter_installations_meter on meter_installations (meter_id);
alter index premises_address_trgm alter column 1 set statistics 1000;
