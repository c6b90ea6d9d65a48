-- Account search at a million accounts (issue 2): finer statistics on the trigram indexes over
-- names and billing addresses, so a rare name fragment is planned as the index scan it is.
alter index customers_name_trgm alter column 1 set statistics 1000;
alter index accounts_billing_address_trgm alter column 1 set statistics 1000;
