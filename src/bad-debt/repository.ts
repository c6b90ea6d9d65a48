/**
 * SQL for bad debt: settings, collection agencies, pre-collection letters, placement candidates,
 * placements and their files, agency collections and remittances, write-offs and their
 * reinstatements, balance transfers and the daily job's runs.
 *
 * Read exception (ARCHITECTURE.md): `finalAccounts`, `balancesOf` and `lastPaymentDates` read the
 * accounts, customers, service agreements, bills and ledger entries of other contexts, read-only,
 * to find accounts whose service has ended with a final bill posted and money owed, and to fill
 * the agency's placement file.
 */
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

// ---- rows (bigint columns arrive as numbers, numeric as strings, dates as YYYY-MM-DD strings) ----

export interface SettingsRow { letter_after_due_days: number; placement_wait_days: number; min_placement_cents: number; auto_place_agency_id: number | null; updated_at: Date | null; updated_by: number | null }
export interface AgencyRow {
  id: number; code: string; name: string; commission_percent: string; vendor_id: string; file_columns: string[]; file_header: boolean; active: boolean;
  created_at: Date; created_by: number | null; updated_at: Date | null; updated_by: number | null;
}
export interface LetterRow {
  id: number; account_id: number; letter_date: string; balance_cents: number; final_bill_date: string; final_due_date: string; place_after: string; agency_name: string | null; created_at: Date; created_by: number | null;
}
export interface CandidateRow { id: number; account_id: number; since: string; source: 'run' | 'staff'; reason: string; placement_id: number | null; withdrawn_at: Date | null; withdrawn_reason: string | null; created_at: Date; created_by: number | null }
export interface PlacementRow {
  id: number; account_id: number; agency_id: number; candidate_id: number | null; file_id: number; placed_on: string; amount_cents: number; status: 'placed' | 'recalled'; alert_id: number | null;
  recalled_on: string | null; recall_reason: string | null; recall_note: string | null; recalled_at: Date | null; recalled_by: number | null; recall_file_id: number | null; created_at: Date; created_by: number | null;
}
export interface FileRow { id: number; agency_id: number; file_name: string; body: string; sha256: string; created_at: Date; created_by: number | null }
export interface PlacementFileRow extends FileRow { placements: number; total_cents: number; placed_on: string }
export interface RecallFileRow extends FileRow { recalls: number }
export interface RemittanceRow { id: number; agency_id: number; file_name: string; sha256: string; records: number; gross_cents: number; commission_cents: number; net_cents: number; batch_id: number | null; created_at: Date; created_by: number | null }
export interface CollectionRow {
  id: number; placement_id: number; account_id: number; agency_id: number; collected_on: string; gross_cents: number; commission_cents: number; net_cents: number; reference: string | null;
  remittance_id: number | null; record_no: number | null; payment_id: number | null; batch_id: number | null; commission_entry_id: number | null; created_at: Date; created_by: number | null;
}
export interface WriteOffRow {
  id: number; account_id: number; status: 'requested' | 'approved' | 'refused' | 'cancelled'; requested_cents: number; amount_cents: number | null; reason: string;
  requested_at: Date; requested_by: number | null; requested_by_name: string; decided_at: Date | null; decided_by: number | null; decided_by_name: string | null; decision_reason: string | null;
  written_off_on: string | null; ledger_entry_id: number | null; reinstated_cents: number;
}
export interface ReinstatementRow { id: number; write_off_id: number; account_id: number; amount_cents: number; on_date: string; source: 'run' | 'agency_collection'; agency_collection_id: number | null; ledger_entry_id: number; created_at: Date }
export interface TransferRow {
  id: number; transfer_key: string; from_account_id: number; to_account_id: number; amount_cents: number; transferred_on: string; recalled_placement_id: number | null;
  out_entry_id: number | null; in_entry_id: number | null; reason: string; created_at: Date; created_by: number | null;
}
export interface RunRow { run_date: string; result: Record<string, unknown>; ran_at: Date; ran_by: number | null; ran_by_name: string }

/** An account with its number and customer's name, as lists show it. */
export interface Named { account_number: string; customer_name: string }

const one = async <T>(q: Promise<{ rows: T[] }>) => (await q).rows[0];
const all = async <T>(q: Promise<{ rows: T[] }>) => (await q).rows;
const named = sql`(select a.account_number from accounts a where a.id = x.account_id) as account_number,
                  (select c.display_name from accounts a join customers c on c.id = a.customer_id where a.id = x.account_id) as customer_name`;

// ---- settings ----

export const settings = (db: Db) => one(sql<SettingsRow>`select * from bad_debt_settings`.execute(db)).then((r) => r!);
export const updateSettings = (db: Db, s: { letterAfterDueDays: number; placementWaitDays: number; minPlacementCents: number; autoPlaceAgencyId: number | null }, at: Date, by: number | null) =>
  sql`update bad_debt_settings set letter_after_due_days = ${s.letterAfterDueDays}, placement_wait_days = ${s.placementWaitDays}, min_placement_cents = ${s.minPlacementCents},
        auto_place_agency_id = ${s.autoPlaceAgencyId}, updated_at = ${at}, updated_by = ${by}`.execute(db);

// ---- agencies ----

export const listAgencies = (db: Db) => all(sql<AgencyRow>`select * from collection_agencies order by active desc, code`.execute(db));
export const findAgency = (db: Db, id: number) => one(sql<AgencyRow>`select * from collection_agencies where id = ${id}`.execute(db));
export const findAgencyByCode = (db: Db, code: string) => one(sql<AgencyRow>`select * from collection_agencies where code = ${code}`.execute(db));
export const insertAgency = (db: Db, a: { code: string; name: string; commissionPercent: string; vendorId: string; fileColumns: string[]; fileHeader: boolean; at: Date; by: number | null }) =>
  one(sql<AgencyRow>`
    insert into collection_agencies (code, name, commission_percent, vendor_id, file_columns, file_header, active, created_at, created_by)
    values (${a.code}, ${a.name}, ${a.commissionPercent}::numeric, ${a.vendorId}, ${JSON.stringify(a.fileColumns)}::jsonb, ${a.fileHeader}, true, ${a.at}, ${a.by})
    on conflict (code) do nothing returning *`.execute(db));
export const updateAgency = (db: Db, id: number, a: { name: string; commissionPercent: string; vendorId: string; fileColumns: string[]; fileHeader: boolean; active: boolean; at: Date; by: number | null }) =>
  one(sql<AgencyRow>`
    update collection_agencies set name = ${a.name}, commission_percent = ${a.commissionPercent}::numeric, vendor_id = ${a.vendorId}, file_columns = ${JSON.stringify(a.fileColumns)}::jsonb,
           file_header = ${a.fileHeader}, active = ${a.active}, updated_at = ${a.at}, updated_by = ${a.by}
     where id = ${id} returning *`.execute(db)).then((r) => r!);

// ---- final accounts (the read exception) ----

export interface FinalAccountRow { account_id: number; account_number: string; customer_id: number; customer_name: string; final_bill_date: string; final_due_date: string; balance_cents: number }

/**
 * Accounts whose service had ended by `date` (each agreement ended on or before it, no final bill
 * still due) with a final bill posted by then, and their balance now; only those owing more than
 * zero unless `anyBalance`; only `accountIds` when given.
 */
export const finalAccounts = (db: Db, date: string, opts: { accountIds?: number[]; anyBalance?: boolean } = {}) =>
  all(sql<FinalAccountRow>`
    with ended as (
      select s.account_id from service_agreements s
       ${opts.accountIds ? sql`where s.account_id = any(${opts.accountIds}::int8[])` : sql``}
       group by s.account_id
      having bool_and(s.end_date is not null and s.end_date <= ${date}::date and not s.final_bill_due)
    ), finals as (
      select b.account_id, max(b.bill_date)::text as final_bill_date, max(b.due_date)::text as final_due_date
        from bills b join ended e on e.account_id = b.account_id
       where b.final and b.status = 'posted' and b.bill_date <= ${date}::date
       group by b.account_id
    )
    select f.account_id, a.account_number, a.customer_id, c.display_name as customer_name, f.final_bill_date, f.final_due_date,
           (select coalesce(sum(l.amount_cents), 0) from ledger_entries l where l.account_id = f.account_id)::int8 as balance_cents
      from finals f join accounts a on a.id = f.account_id join customers c on c.id = a.customer_id
     ${opts.anyBalance ? sql`` : sql`where (select coalesce(sum(l.amount_cents), 0) from ledger_entries l where l.account_id = f.account_id) > 0`}
     order by f.account_id`.execute(db));

/** Balances of some accounts (absent: no entries, a zero balance). */
export async function balancesOf(db: Db, accountIds: number[]): Promise<Map<number, number>> {
  if (accountIds.length === 0) return new Map();
  const rows = await all(sql<{ account_id: number; b: number }>`
    select account_id, sum(amount_cents)::int8 as b from ledger_entries where account_id = any(${accountIds}::int8[]) group by account_id`.execute(db));
  return new Map(rows.map((r) => [r.account_id, r.b]));
}

/** The date of each account's last payment on the ledger. */
export async function lastPaymentDates(db: Db, accountIds: number[]): Promise<Map<number, string>> {
  if (accountIds.length === 0) return new Map();
  const rows = await all(sql<{ account_id: number; d: string }>`
    select account_id, max(entry_date)::text as d from ledger_entries where account_id = any(${accountIds}::int8[]) and kind = 'payment' group by account_id`.execute(db));
  return new Map(rows.map((r) => [r.account_id, r.d]));
}

// ---- letters ----

export const insertLetter = (db: Db, l: { accountId: number; letterDate: string; balanceCents: number; finalBillDate: string; finalDueDate: string; placeAfter: string; agencyName: string | null; pdf: Buffer; at: Date; by: number | null }) =>
  one(sql<LetterRow>`
    insert into precollection_letters (account_id, letter_date, balance_cents, final_bill_date, final_due_date, place_after, agency_name, pdf, created_at, created_by)
    values (${l.accountId}, ${l.letterDate}, ${l.balanceCents}, ${l.finalBillDate}, ${l.finalDueDate}, ${l.placeAfter}, ${l.agencyName}, ${l.pdf}, ${l.at}, ${l.by})
    on conflict (account_id) do nothing
    returning id, account_id, letter_date::text, balance_cents, final_bill_date::text, final_due_date::text, place_after::text, agency_name, created_at, created_by`.execute(db));
const letterCols = sql`x.id, x.account_id, x.letter_date::text, x.balance_cents, x.final_bill_date::text, x.final_due_date::text, x.place_after::text, x.agency_name, x.created_at, x.created_by`;
export const letterOfAccount = (db: Db, accountId: number) => one(sql<LetterRow>`select ${letterCols} from precollection_letters x where x.account_id = ${accountId}`.execute(db));
export async function lettersOfAccounts(db: Db, accountIds: number[]): Promise<Map<number, LetterRow>> {
  if (accountIds.length === 0) return new Map();
  const rows = await all(sql<LetterRow>`select ${letterCols} from precollection_letters x where x.account_id = any(${accountIds}::int8[])`.execute(db));
  return new Map(rows.map((r) => [r.account_id, r]));
}
export const letterPdf = (db: Db, id: number) => one(sql<{ pdf: Buffer; account_id: number; letter_date: string }>`select pdf, account_id, letter_date::text from precollection_letters where id = ${id}`.execute(db));
export const listLetters = (db: Db, q: { after: number; limit: number; from?: string; to?: string }) =>
  all(sql<LetterRow & Named>`
    select ${letterCols}, ${named} from precollection_letters x
     where (${q.after}::int8 = 0 or x.id < ${q.after}::int8)
       ${q.from ? sql`and x.letter_date >= ${q.from}::date` : sql``} ${q.to ? sql`and x.letter_date <= ${q.to}::date` : sql``}
     order by x.id desc limit ${q.limit + 1}`.execute(db));

// ---- candidates ----

export const insertCandidate = (db: Db, c: { accountId: number; since: string; source: 'run' | 'staff'; reason: string; at: Date; by: number | null }) =>
  one(sql<CandidateRow>`
    insert into placement_candidates (account_id, since, source, reason, created_at, created_by) values (${c.accountId}, ${c.since}, ${c.source}, ${c.reason}, ${c.at}, ${c.by})
    returning id, account_id, since::text, source, reason, placement_id, withdrawn_at, withdrawn_reason, created_at, created_by`.execute(db)).then((r) => r!);
const candidateCols = sql`x.id, x.account_id, x.since::text, x.source, x.reason, x.placement_id, x.withdrawn_at, x.withdrawn_reason, x.created_at, x.created_by`;
export const openCandidateOf = (db: Db, accountId: number) =>
  one(sql<CandidateRow>`select ${candidateCols} from placement_candidates x where x.account_id = ${accountId} and x.placement_id is null and x.withdrawn_at is null`.execute(db));
export const candidatesOfAccount = (db: Db, accountId: number) => all(sql<CandidateRow>`select ${candidateCols} from placement_candidates x where x.account_id = ${accountId} order by x.id desc`.execute(db));
/** Accounts ever made a candidate or placed. */
export async function everCandidate(db: Db, accountIds: number[]): Promise<Set<number>> {
  if (accountIds.length === 0) return new Set();
  const rows = await all(sql<{ account_id: number }>`
    select account_id from placement_candidates where account_id = any(${accountIds}::int8[])
    union select account_id from agency_placements where account_id = any(${accountIds}::int8[])`.execute(db));
  return new Set(rows.map((r) => r.account_id));
}
/** The candidates waiting to be placed, oldest first. */
export const openCandidates = (db: Db, opts: { accountIds?: number[]; lock?: boolean } = {}) =>
  all(sql<CandidateRow & Named>`
    select ${candidateCols}, ${named} from placement_candidates x
     where x.placement_id is null and x.withdrawn_at is null ${opts.accountIds ? sql`and x.account_id = any(${opts.accountIds}::int8[])` : sql``}
     order by x.since, x.id ${opts.lock ? sql`for update of x` : sql``}`.execute(db));
export const markCandidatePlaced = (db: Db, id: number, placementId: number) => sql`update placement_candidates set placement_id = ${placementId} where id = ${id}`.execute(db);
export const withdrawCandidate = (db: Db, id: number, at: Date, reason: string) => sql`update placement_candidates set withdrawn_at = ${at}, withdrawn_reason = ${reason} where id = ${id}`.execute(db);

// ---- placements and their files ----

export const lockPlacing = (db: Db) => sql`select pg_advisory_xact_lock(hashtext('bad_debt_placement'))`.execute(db);
export const insertPlacementFile = (db: Db, f: { agencyId: number; fileName: string; body: string; sha256: string; placements: number; totalCents: number; placedOn: string; at: Date; by: number | null }) =>
  one(sql<{ id: number }>`
    insert into placement_files (agency_id, file_name, body, sha256, placements, total_cents, placed_on, created_at, created_by)
    values (${f.agencyId}, ${f.fileName}, ${f.body}, ${f.sha256}, ${f.placements}, ${f.totalCents}, ${f.placedOn}, ${f.at}, ${f.by}) returning id`.execute(db)).then((r) => r!.id);
export const setPlacementFileName = (db: Db, id: number, name: string) => sql`update placement_files set file_name = ${name} where id = ${id}`.execute(db);
export const updatePlacementFileBody = (db: Db, id: number, body: string, sha256: string) => sql`update placement_files set body = ${body}, sha256 = ${sha256} where id = ${id}`.execute(db);
export const findPlacementFile = (db: Db, id: number) => one(sql<PlacementFileRow>`select id, agency_id, file_name, body, sha256, placements, total_cents, placed_on::text, created_at, created_by from placement_files where id = ${id}`.execute(db));
export const listPlacementFiles = (db: Db, agencyId?: number) =>
  all(sql<Omit<PlacementFileRow, 'body'> & { agency_code: string }>`
    select f.id, f.agency_id, f.file_name, f.sha256, f.placements, f.total_cents, f.placed_on::text, f.created_at, f.created_by, g.code as agency_code
      from placement_files f join collection_agencies g on g.id = f.agency_id ${agencyId ? sql`where f.agency_id = ${agencyId}` : sql``} order by f.id desc limit 200`.execute(db));

const placementCols = sql`x.id, x.account_id, x.agency_id, x.candidate_id, x.file_id, x.placed_on::text, x.amount_cents, x.status, x.alert_id, x.recalled_on::text, x.recall_reason, x.recall_note,
                          x.recalled_at, x.recalled_by, x.recall_file_id, x.created_at, x.created_by`;
export const insertPlacement = (db: Db, p: { accountId: number; agencyId: number; candidateId: number | null; fileId: number; placedOn: string; amountCents: number; alertId: number | null; at: Date; by: number | null }) =>
  one(sql<PlacementRow>`
    insert into agency_placements (account_id, agency_id, candidate_id, file_id, placed_on, amount_cents, status, alert_id, created_at, created_by)
    values (${p.accountId}, ${p.agencyId}, ${p.candidateId}, ${p.fileId}, ${p.placedOn}, ${p.amountCents}, 'placed', ${p.alertId}, ${p.at}, ${p.by})
    returning id`.execute(db)).then((r) => r!.id);
export const setPlacementAlert = (db: Db, id: number, alertId: number) => sql`update agency_placements set alert_id = ${alertId} where id = ${id}`.execute(db);
export const findPlacement = (db: Db, id: number, lock = false) =>
  one(sql<PlacementRow>`select ${placementCols} from agency_placements x where x.id = ${id} ${lock ? sql`for update` : sql``}`.execute(db));
export const livePlacementOf = (db: Db, accountId: number) => one(sql<PlacementRow>`select ${placementCols} from agency_placements x where x.account_id = ${accountId} and x.status = 'placed'`.execute(db));
export const placementsOfAccount = (db: Db, accountId: number) => all(sql<PlacementRow>`select ${placementCols} from agency_placements x where x.account_id = ${accountId} order by x.id desc`.execute(db));
/** The placement an agency's collection on an account belongs to: its live one, else the latest recalled. */
export const placementForCollection = (db: Db, accountId: number, agencyId: number) =>
  one(sql<PlacementRow>`select ${placementCols} from agency_placements x where x.account_id = ${accountId} and x.agency_id = ${agencyId} order by (x.status = 'placed') desc, x.id desc limit 1`.execute(db));
export const livePlacements = (db: Db) => all(sql<PlacementRow>`select ${placementCols} from agency_placements x where x.status = 'placed' order by x.id`.execute(db));
export const listPlacements = (db: Db, q: { status?: string; agencyId?: number; after: number; limit: number }) =>
  all(sql<PlacementRow & Named & { agency_code: string; agency_name: string; collected_cents: number }>`
    select ${placementCols}, ${named}, g.code as agency_code, g.name as agency_name,
           (select coalesce(sum(c.gross_cents), 0) from agency_collections c where c.placement_id = x.id)::int8 as collected_cents
      from agency_placements x join collection_agencies g on g.id = x.agency_id
     where (${q.after}::int8 = 0 or x.id < ${q.after}::int8) ${q.status ? sql`and x.status = ${q.status}` : sql``} ${q.agencyId ? sql`and x.agency_id = ${q.agencyId}` : sql``}
     order by x.id desc limit ${q.limit + 1}`.execute(db));
export const recallPlacement = (db: Db, id: number, r: { on: string; reason: string; note: string | null; at: Date; by: number | null }) =>
  sql`update agency_placements set status = 'recalled', recalled_on = ${r.on}, recall_reason = ${r.reason}, recall_note = ${r.note}, recalled_at = ${r.at}, recalled_by = ${r.by} where id = ${id} and status = 'placed'`.execute(db);
/** Recalled placements of an agency not yet sent in a recall file. */
export const recallsToSend = (db: Db, agencyId: number) =>
  all(sql<PlacementRow & Named>`select ${placementCols}, ${named} from agency_placements x where x.agency_id = ${agencyId} and x.status = 'recalled' and x.recall_file_id is null order by x.id for update of x`.execute(db));
export const insertRecallFile = (db: Db, f: { agencyId: number; fileName: string; body: string; sha256: string; recalls: number; at: Date; by: number | null }) =>
  one(sql<{ id: number }>`
    insert into recall_files (agency_id, file_name, body, sha256, recalls, created_at, created_by) values (${f.agencyId}, ${f.fileName}, ${f.body}, ${f.sha256}, ${f.recalls}, ${f.at}, ${f.by}) returning id`.execute(db)).then((r) => r!.id);
export const setRecallFileName = (db: Db, id: number, name: string) => sql`update recall_files set file_name = ${name} where id = ${id}`.execute(db);
export const markRecallFile = (db: Db, ids: number[], fileId: number) => sql`update agency_placements set recall_file_id = ${fileId} where id = any(${ids}::int8[])`.execute(db);
export const findRecallFile = (db: Db, id: number) => one(sql<RecallFileRow>`select * from recall_files where id = ${id}`.execute(db));
export const listRecallFiles = (db: Db) =>
  all(sql<Omit<RecallFileRow, 'body'> & { agency_code: string }>`
    select f.id, f.agency_id, f.file_name, f.sha256, f.recalls, f.created_at, f.created_by, g.code as agency_code from recall_files f join collection_agencies g on g.id = f.agency_id order by f.id desc limit 200`.execute(db));

// ---- collections and remittances ----

export const findRemittance = (db: Db, agencyId: number, sha256: string) => one(sql<RemittanceRow>`select id, agency_id, file_name, sha256, records, gross_cents, commission_cents, net_cents, batch_id, created_at, created_by from agency_remittances where agency_id = ${agencyId} and sha256 = ${sha256}`.execute(db));
export const insertRemittance = (db: Db, r: { agencyId: number; fileName: string; sha256: string; bytes: Buffer; records: number; grossCents: number; commissionCents: number; netCents: number; at: Date; by: number | null }) =>
  one(sql<{ id: number }>`
    insert into agency_remittances (agency_id, file_name, sha256, bytes, records, gross_cents, commission_cents, net_cents, created_at, created_by)
    values (${r.agencyId}, ${r.fileName}, ${r.sha256}, ${r.bytes}, ${r.records}, ${r.grossCents}, ${r.commissionCents}, ${r.netCents}, ${r.at}, ${r.by}) returning id`.execute(db)).then((x) => x!.id);
export const setRemittanceBatch = (db: Db, id: number, batchId: number | null) => sql`update agency_remittances set batch_id = ${batchId} where id = ${id}`.execute(db);
export const remittanceFile = (db: Db, id: number) => one(sql<{ file_name: string; bytes: Buffer }>`select file_name, bytes from agency_remittances where id = ${id}`.execute(db));
export const listRemittances = (db: Db) =>
  all(sql<RemittanceRow & { agency_code: string }>`
    select r.id, r.agency_id, r.file_name, r.sha256, r.records, r.gross_cents, r.commission_cents, r.net_cents, r.batch_id, r.created_at, r.created_by, g.code as agency_code
      from agency_remittances r join collection_agencies g on g.id = r.agency_id order by r.id desc limit 200`.execute(db));

const collectionCols = sql`x.id, x.placement_id, x.account_id, x.agency_id, x.collected_on::text, x.gross_cents, x.commission_cents, x.net_cents, x.reference, x.remittance_id, x.record_no,
                           x.payment_id, x.batch_id, x.commission_entry_id, x.created_at, x.created_by`;
export const insertCollection = (db: Db, c: { placementId: number; accountId: number; agencyId: number; collectedOn: string; grossCents: number; commissionCents: number; netCents: number; reference: string | null; remittanceId: number | null; recordNo: number | null; at: Date; by: number | null }) =>
  one(sql<{ id: number }>`
    insert into agency_collections (placement_id, account_id, agency_id, collected_on, gross_cents, commission_cents, net_cents, reference, remittance_id, record_no, created_at, created_by)
    values (${c.placementId}, ${c.accountId}, ${c.agencyId}, ${c.collectedOn}, ${c.grossCents}, ${c.commissionCents}, ${c.netCents}, ${c.reference}, ${c.remittanceId}, ${c.recordNo}, ${c.at}, ${c.by})
    returning id`.execute(db)).then((r) => r!.id);
export const setCollectionPosting = (db: Db, id: number, p: { paymentId: number | null; batchId: number | null; commissionEntryId: number | null }) =>
  sql`update agency_collections set payment_id = ${p.paymentId}, batch_id = ${p.batchId}, commission_entry_id = ${p.commissionEntryId} where id = ${id}`.execute(db);
export const findCollection = (db: Db, id: number) => one(sql<CollectionRow>`select ${collectionCols} from agency_collections x where x.id = ${id}`.execute(db));
export const collectionByReference = (db: Db, placementId: number, reference: string) =>
  one(sql<CollectionRow>`select ${collectionCols} from agency_collections x where x.placement_id = ${placementId} and x.reference = ${reference} and x.remittance_id is null`.execute(db));
export const collectionsOfAccount = (db: Db, accountId: number) => all(sql<CollectionRow>`select ${collectionCols} from agency_collections x where x.account_id = ${accountId} order by x.id desc`.execute(db));
export const listCollections = (db: Db, q: { agencyId?: number; after: number; limit: number }) =>
  all(sql<CollectionRow & Named & { agency_code: string }>`
    select ${collectionCols}, ${named}, g.code as agency_code from agency_collections x join collection_agencies g on g.id = x.agency_id
     where (${q.after}::int8 = 0 or x.id < ${q.after}::int8) ${q.agencyId ? sql`and x.agency_id = ${q.agencyId}` : sql``}
     order by x.id desc limit ${q.limit + 1}`.execute(db));

// ---- write-offs ----

const writeOffCols = sql`x.id, x.account_id, x.status, x.requested_cents, x.amount_cents, x.reason, x.requested_at, x.requested_by, x.requested_by_name, x.decided_at, x.decided_by, x.decided_by_name,
                         x.decision_reason, x.written_off_on::text, x.ledger_entry_id,
                         (select coalesce(sum(r.amount_cents), 0) from write_off_reinstatements r where r.write_off_id = x.id)::int8 as reinstated_cents`;
export const insertWriteOff = (db: Db, w: { accountId: number; requestedCents: number; reason: string; at: Date; by: number | null; byName: string }) =>
  one(sql<{ id: number }>`
    insert into write_offs (account_id, status, requested_cents, reason, requested_at, requested_by, requested_by_name)
    values (${w.accountId}, 'requested', ${w.requestedCents}, ${w.reason}, ${w.at}, ${w.by}, ${w.byName}) returning id`.execute(db)).then((r) => r!.id);
export const findWriteOff = (db: Db, id: number, lock = false) => one(sql<WriteOffRow>`select ${writeOffCols} from write_offs x where x.id = ${id} ${lock ? sql`for update of x` : sql``}`.execute(db));
export const openWriteOffOf = (db: Db, accountId: number) => one(sql<WriteOffRow>`select ${writeOffCols} from write_offs x where x.account_id = ${accountId} and x.status = 'requested'`.execute(db));
export const writeOffsOfAccount = (db: Db, accountId: number) => all(sql<WriteOffRow>`select ${writeOffCols} from write_offs x where x.account_id = ${accountId} order by x.id desc`.execute(db));
export const listWriteOffs = (db: Db, q: { status?: string; from?: string; to?: string; after: number; limit: number }) =>
  all(sql<WriteOffRow & Named>`
    select ${writeOffCols}, ${named} from write_offs x
     where (${q.after}::int8 = 0 or x.id < ${q.after}::int8) ${q.status ? sql`and x.status = ${q.status}` : sql``}
       ${q.from ? sql`and coalesce(x.written_off_on, x.requested_at::date) >= ${q.from}::date` : sql``} ${q.to ? sql`and coalesce(x.written_off_on, x.requested_at::date) <= ${q.to}::date` : sql``}
     order by x.id desc limit ${q.limit + 1}`.execute(db));
/** Totals of bad debt over days (written off, reinstated, agency commission), for the report. */
export const writeOffTotals = (db: Db, q: { from?: string; to?: string }) =>
  one(sql<{ written_off: number; count: number; reinstated: number; commission: number; collected: number }>`
    select (select coalesce(sum(amount_cents), 0) from write_offs where status = 'approved'
              ${q.from ? sql`and written_off_on >= ${q.from}::date` : sql``} ${q.to ? sql`and written_off_on <= ${q.to}::date` : sql``})::int8 as written_off,
           (select count(*) from write_offs where status = 'approved'
              ${q.from ? sql`and written_off_on >= ${q.from}::date` : sql``} ${q.to ? sql`and written_off_on <= ${q.to}::date` : sql``})::int8 as count,
           (select coalesce(sum(amount_cents), 0) from write_off_reinstatements where true
              ${q.from ? sql`and on_date >= ${q.from}::date` : sql``} ${q.to ? sql`and on_date <= ${q.to}::date` : sql``})::int8 as reinstated,
           (select coalesce(sum(commission_cents), 0) from agency_collections where true
              ${q.from ? sql`and collected_on >= ${q.from}::date` : sql``} ${q.to ? sql`and collected_on <= ${q.to}::date` : sql``})::int8 as commission,
           (select coalesce(sum(gross_cents), 0) from agency_collections where true
              ${q.from ? sql`and collected_on >= ${q.from}::date` : sql``} ${q.to ? sql`and collected_on <= ${q.to}::date` : sql``})::int8 as collected`.execute(db)).then((r) => r!);
export const decideWriteOff = (db: Db, id: number, d: { status: 'approved' | 'refused' | 'cancelled'; amountCents: number | null; at: Date; by: number | null; byName: string; reason: string; on: string | null; entryId: number | null }) =>
  sql`update write_offs set status = ${d.status}, amount_cents = ${d.amountCents}, decided_at = ${d.at}, decided_by = ${d.by}, decided_by_name = ${d.byName}, decision_reason = ${d.reason},
        written_off_on = ${d.on}::date, ledger_entry_id = ${d.entryId} where id = ${id} and status = 'requested'`.execute(db);
/** Approved write-offs with money not yet reinstated, oldest first (of some accounts, or all). */
export const writeOffsWithRoom = (db: Db, accountIds?: number[]) =>
  all(sql<WriteOffRow>`
    select * from (select ${writeOffCols} from write_offs x where x.status = 'approved' ${accountIds ? sql`and x.account_id = any(${accountIds}::int8[])` : sql``}) w
     where w.amount_cents > w.reinstated_cents order by w.account_id, w.id`.execute(db));
export const insertReinstatement = (db: Db, r: { writeOffId: number; accountId: number; amountCents: number; onDate: string; source: 'run' | 'agency_collection'; collectionId: number | null; entryId: number; at: Date; by: number | null }) =>
  sql`insert into write_off_reinstatements (write_off_id, account_id, amount_cents, on_date, source, agency_collection_id, ledger_entry_id, created_at, created_by)
      values (${r.writeOffId}, ${r.accountId}, ${r.amountCents}, ${r.onDate}, ${r.source}, ${r.collectionId}, ${r.entryId}, ${r.at}, ${r.by})`.execute(db);
export const reinstatementsOfAccount = (db: Db, accountId: number) =>
  all(sql<ReinstatementRow>`select id, write_off_id, account_id, amount_cents, on_date::text, source, agency_collection_id, ledger_entry_id, created_at from write_off_reinstatements where account_id = ${accountId} order by id desc`.execute(db));

// ---- transfers ----

const transferCols = sql`x.id, x.transfer_key, x.from_account_id, x.to_account_id, x.amount_cents, x.transferred_on::text, x.recalled_placement_id, x.out_entry_id, x.in_entry_id, x.reason, x.created_at, x.created_by`;
export const insertTransfer = (db: Db, t: { fromAccountId: number; toAccountId: number; amountCents: number; on: string; recalledPlacementId: number | null; reason: string; at: Date; by: number | null }) =>
  one(sql<{ id: number; transfer_key: string }>`
    with n as (select nextval(pg_get_serial_sequence('balance_transfers', 'id')) as id)
    insert into balance_transfers (id, transfer_key, from_account_id, to_account_id, amount_cents, transferred_on, recalled_placement_id, reason, created_at, created_by)
    select n.id, 'BT-' || n.id::text, ${t.fromAccountId}, ${t.toAccountId}, ${t.amountCents}, ${t.on}, ${t.recalledPlacementId}, ${t.reason}, ${t.at}, ${t.by} from n
    returning id, transfer_key`.execute(db)).then((r) => r!);
export const setTransferEntries = (db: Db, id: number, outId: number, inId: number) => sql`update balance_transfers set out_entry_id = ${outId}, in_entry_id = ${inId} where id = ${id}`.execute(db);
export const findTransfer = (db: Db, id: number) => one(sql<TransferRow>`select ${transferCols} from balance_transfers x where x.id = ${id}`.execute(db));
export const transfersOfAccount = (db: Db, accountId: number) =>
  all(sql<TransferRow>`select ${transferCols} from balance_transfers x where x.from_account_id = ${accountId} or x.to_account_id = ${accountId} order by x.id desc`.execute(db));

// ---- the daily job ----

/** Claims a day's run; undefined when the day has a run already (committed, or in progress in another transaction: this waits for it). */
export const claimRun = (db: Db, r: { date: string; at: Date; by: number | null; byName: string }) =>
  one(sql<{ run_date: string }>`
    insert into bad_debt_runs (run_date, result, ran_at, ran_by, ran_by_name) values (${r.date}, '{}'::jsonb, ${r.at}, ${r.by}, ${r.byName})
    on conflict (run_date) do nothing returning run_date::text`.execute(db));
export const finishRun = (db: Db, date: string, result: unknown) => sql`update bad_debt_runs set result = ${JSON.stringify(result)}::jsonb where run_date = ${date}`.execute(db);
export const findRun = (db: Db, date: string) => one(sql<RunRow>`select run_date::text, result, ran_at, ran_by, ran_by_name from bad_debt_runs where run_date = ${date}`.execute(db));
export const listRuns = (db: Db, limit: number) => all(sql<RunRow>`select run_date::text, result, ran_at, ran_by, ran_by_name from bad_debt_runs order by run_date desc limit ${limit}`.execute(db));
