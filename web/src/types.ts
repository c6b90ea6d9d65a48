/**
 * Shapes of the API's responses. They are the server's own types, imported type-only from each
 * context's public face (src/<context>/index.ts), so a change there is a type error here; nothing
 * of the server is bundled (`export type` is erased). See /api/docs for the full schemas.
 *
 * The few values (option lists for selects) are kept here, because the server keeps its lists in
 * modules that also hold server code; each is checked against the server's type where the server's
 * type is narrower than `string`.
 */
import type { Account } from '../../src/customer/index.ts';
import type { Meter, ServicePoint } from '../../src/premise/index.ts';
import type { MeterRead, meterReads, ReadFinding, readFiles } from '../../src/meter-read/index.ts';
import type { ServiceOrder, serviceOrders, workListFor } from '../../src/service-order/index.ts';
import type { Bill, billing } from '../../src/billing/index.ts';
import type { ledger } from '../../src/ledger/index.ts';
import type { tariffs } from '../../src/tariff/index.ts';
import type { autopay, deposits, paymentImports, payments, returns } from '../../src/payment/index.ts';
import type { budget, BudgetEvent, BudgetPlan } from '../../src/budget/index.ts';
import type { collections } from '../../src/collections/index.ts';
import type { assistance, Pledge } from '../../src/assistance/index.ts';
import type { Deposit as SecurityDepositShape, deposits as securityDeposits } from '../../src/deposit/index.ts';
import type { Refund as RefundShape, refunds } from '../../src/refund/index.ts';
import type { badDebt, WriteOff as WriteOffShape, Placement as PlacementShape } from '../../src/bad-debt/index.ts';

export type { Account, Address, Alert, Contact, Customer, CustomerDetail, Identifier } from '../../src/customer/index.ts';
export type { AccountService, Agreement, Installation, Meter, Premise, PremiseDetail, ServicePoint } from '../../src/premise/index.ts';
export type { AuditEvent } from '../../src/audit/index.ts';
export type { AccountOverview } from '../../src/account-view/index.ts';
export type { AccountSearchResult as SearchResult } from '../../src/search/index.ts';
export type { StaffUser as User } from '../../src/staff/index.ts';
// actor.ts has no imports: bundling it adds the role list and nothing of the server.
export { roles, type Role } from '../../src/platform/actor.ts';

/** Compiles only when the list's members are exactly the server's union (checks, no code). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;

/** A cursor-paged list answer. The server builds it as a TypeBox schema (`Page(item)`), not a type. */
export interface Page<T> {
  items: T[];
  next: number | null;
}

export const accountStatuses = ['pending', 'active', 'final', 'closed'] as const;
export type AccountStatus = Account['status'];
type _AccountStatusesMatch = Check<Same<(typeof accountStatuses)[number], AccountStatus>>;

/** The server types `customerClass` as string; the list is its route schema's enum. */
export const customerClasses = ['residential', 'commercial', 'industrial', 'irrigation', 'public_authority'] as const;

/** The server types an alert's `kind` as string; the list is `alertKinds` of src/customer/service.ts. */
export const alertKinds = [
  'medical_certificate', 'bankruptcy', 'deceased', 'cash_only', 'pledge_pending',
  'budget_billing', 'payment_arrangement', 'life_support', 'safety', 'other',
] as const;

/** The server types `premiseType` as string; the list is its route schema's enum. */
export const premiseTypes = ['single_family', 'multi_family', 'mobile_home', 'commercial', 'industrial', 'irrigation', 'public'] as const;

export const services = ['electric', 'water', 'fiber'] as const;
type _ServicesMatch = Check<Same<(typeof services)[number], ServicePoint['service']>>;

export const servicePointStatuses = ['active', 'inactive', 'disconnected'] as const;
type _PointStatusesMatch = Check<Same<(typeof servicePointStatuses)[number], ServicePoint['status']>>;

export const meterKinds = ['electric', 'water'] as const;
type _MeterKindsMatch = Check<Same<(typeof meterKinds)[number], Meter['kind']>>;

export const meterStatuses = ['in_stock', 'installed', 'removed', 'testing', 'retired'] as const;
type _MeterStatusesMatch = Check<Same<(typeof meterStatuses)[number], Meter['status']>>;

/** The statuses PATCH /meters/:id may set by hand (install and remove set the others). */
export const settableMeterStatuses = ['in_stock', 'testing', 'retired'] as const satisfies readonly Meter['status'][];

// ---- service orders and reads ----
export type { CompletionResult, FieldData, OrderFinding, OrderRequest, ServiceOrder, ServiceOrderListItem } from '../../src/service-order/index.ts';
export type { MeterRead, ReadFinding, ReadPurpose } from '../../src/meter-read/index.ts';
/** GET /service-orders/:id: the order with its exceptions and the reads it took. */
export type OrderDetail = Awaited<ReturnType<typeof serviceOrders.getOrderDetail>>;
export type OrderException = OrderDetail['exceptions'][number];
/** A row of GET /read-exceptions. */
export type ReadException = meterReads.ReadExceptionItem;
/** The answer of POST /read-imports. */
export type ImportResult = readFiles.ImportResult;
/** A row of GET /read-imports. */
export type ReadImport = Awaited<ReturnType<typeof readFiles.listImports>>[number];
/** An order of GET /work-list?format=json. */
export type WorkListOrder = Awaited<ReturnType<typeof workListFor>>['orders'][number];

export const orderTypes = ['move_in', 'move_out', 'meter_exchange', 'meter_test', 'check_read', 'disconnect', 'reconnect', 'tamper_investigation'] as const;
export type OrderType = ServiceOrder['type'];
type _OrderTypesMatch = Check<Same<(typeof orderTypes)[number], OrderType>>;

export const orderStatuses = ['created', 'scheduled', 'held', 'completed', 'cancelled'] as const;
export type OrderStatus = ServiceOrder['status'];
type _OrderStatusesMatch = Check<Same<(typeof orderStatuses)[number], OrderStatus>>;

/** Where an exchanged meter goes (the request's `oldMeterTo`). */
export const oldMeterDestinations = ['testing', 'in_stock', 'retired'] as const;
type _OldMeterToMatch = Check<Same<(typeof oldMeterDestinations)[number], NonNullable<ServiceOrder['request']['oldMeterTo']>>>;

export const readExceptionCodes = ['negative_use', 'high_vs_last_year', 'low_vs_last_year', 'high_vs_average', 'low_vs_average', 'zero_use_active', 'use_on_inactive'] as const;
type _ReadExceptionCodesMatch = Check<Same<(typeof readExceptionCodes)[number], ReadFinding['code']>>;

/** Read types staff may enter (estimates are made by the estimation rule). */
export const enteredReadTypes = ['actual', 'customer'] as const satisfies readonly MeterRead['readType'][];

// ---- billing: tariffs, the schedule, runs, bills and the ledger ----
export type { Bill, HeldBill, RunSummary, ScheduleItem } from '../../src/billing/index.ts';
export type { LedgerEntry } from '../../src/ledger/index.ts';
export type { BillLine, Block, Charge, LoadResult, MinimumBill, SeasonalBlocks, SeasonalPrice, StoredTariffVersion, Tax, TariffVersion } from '../../src/tariff/index.ts';
/** A row of GET /collections/schedule: a billing-schedule entry's due date and the delinquency dates that follow it. */
export type DelinquencyScheduleItem = Awaited<ReturnType<typeof collections.delinquencyScheduleOfYear>>[number];
/** A row of GET /billing/runs (and GET /billing/runs/:id); `summary` is a RunSummary once completed. */
export type BillingRun = Awaited<ReturnType<typeof billing.runsList>>[number];
/** The answer of POST /quotes. */
export type QuoteResult = Awaited<ReturnType<typeof tariffs.quote>>;
/** A row of GET /accounts/:id/tax-exemptions (the billing context's `billing.TaxExemption`). */
export type TaxExemption = billing.TaxExemption;
/** GET /adjustment-reasons. */
export type AdjustmentReason = Awaited<ReturnType<typeof ledger.adjustmentReasons>>[number];
export type ApprovalLimit = Awaited<ReturnType<typeof ledger.approvalLimits>>[number];
/** GET /billing/runs/:id/progress (the route states this shape in its schema, not as a type). */
export interface RunProgress {
  runId: number;
  status: 'running' | 'completed' | 'failed' | 'stopped';
  total: number;
  done: number;
  posted: number;
  held: number;
  skipped: number;
  error: string | null;
}

export const billStatuses = ['held', 'posted', 'cancelled'] as const;
export type BillStatus = Bill['status'];
type _BillStatusesMatch = Check<Same<(typeof billStatuses)[number], BillStatus>>;

/** The server types a bill exception's code as string; the list is BillExceptionCode of src/billing/validation.ts. */
export const billExceptionCodes = [
  'negative_total', 'large_amount', 'zero_use', 'long_period', 'short_period', 'estimates_in_row',
  'high_vs_last_year', 'low_vs_last_year', 'high_vs_average', 'low_vs_average',
  'read_exception', 'missing_intervals', 'rating_failed',
] as const;

/** The meter units a quote's use may be given in (the quote route's enum). */
export const usageUnits = ['kWh', 'gal', 'cf', 'ccf'] as const satisfies readonly NonNullable<Parameters<typeof tariffs.quote>[1]['usageUnit']>[];

// ---- payments: the counter, batches, imports, deposits, returns and autopay ----
export type { Batch, Payment } from '../../src/payment/index.ts';
/** How a payment was applied: a share per service (null: left as a credit on the account). */
export interface PaymentShare {
  service: string | null;
  amountCents: number;
}
/** The answer of POST /payments. */
export type CounterPaymentResult = Awaited<ReturnType<typeof payments.postCounterPayment>>;
/** GET /payments/:id: the payment, how it was applied and its ledger entries. */
export type PaymentDetail = Awaited<ReturnType<typeof payments.getPayment>>;
/** A row of GET /payment-batches: the batch and what it holds. */
export type BatchSummary = Awaited<ReturnType<typeof payments.listBatches>>[number];
/** GET /payment-batches/:id. */
export type BatchDetail = Awaited<ReturnType<typeof payments.batchDetail>>;
/** The answer of POST /payment-imports. */
export type PaymentImportResult = paymentImports.ImportResult;
/** A row of GET /payment-imports. */
export type PaymentImport = Awaited<ReturnType<typeof paymentImports.listImports>>[number];
/** GET /deposits/:id and a row of GET /deposits: the deposit, its batches and any correction since. */
export type DepositDetail = Awaited<ReturnType<typeof deposits.getDeposit>>;
/** The answer of POST /deposits. */
export type Deposit = deposits.Deposit;
/** A row of GET /reports/deposit-summary. */
export type DepositSummaryRow = Awaited<ReturnType<typeof deposits.depositSummary>>[number];
/** GET /reports/reconciliation. */
export type Reconciliation = Awaited<ReturnType<typeof deposits.reconcile>>;
/** GET /reports/web-payments and /reports/obi. */
export type ChannelReport = Awaited<ReturnType<typeof payments.channelReport>>;
/** A row of GET /payment-returns: the return with its payment's account, amount and method. */
export type ReturnedPayment = Awaited<ReturnType<typeof returns.returnsQueue>>[number];
/** The answer of POST /payments/:id/return. */
export type ReturnOutcome = returns.ReturnOutcome;
/** The answer of POST /payments/:id/correct. */
export type CorrectionResult = Awaited<ReturnType<typeof payments.correctPayment>>;
/** GET /accounts/:id/autopay's enrolment (only the last four digits of the bank account). */
export type AutopayEnrolment = autopay.Enrolment;

/** The methods the counter takes. */
export const counterMethods = ['cash', 'check', 'card'] as const;
type _CounterMethodsMatch = Check<Same<(typeof counterMethods)[number], payments.CounterPaymentInput['method']>>;

export const paymentChannels = ['counter', 'mail', 'lockbox', 'card', 'obi', 'wire', 'ach', 'agency'] as const;
export type PaymentChannel = payments.Channel;
type _PaymentChannelsMatch = Check<Same<(typeof paymentChannels)[number], PaymentChannel>>;

export const paymentImportKinds = ['lockbox', 'lockbox-csv', 'card', 'obi', 'bai2', 'ach-returns', 'x937-returns'] as const;
export type PaymentImportKind = paymentImports.ImportKind;
type _PaymentImportKindsMatch = Check<Same<(typeof paymentImportKinds)[number], PaymentImportKind>>;

export const bankAccountTypes = ['checking', 'savings'] as const;
type _BankAccountTypesMatch = Check<Same<(typeof bankAccountTypes)[number], AutopayEnrolment['bankAccountType']>>;

// ---- budget billing: plans, their events and letters, the quote, the daily review ----
export type { BudgetEvent, BudgetPlan, BudgetQuote, BudgetSettings } from '../../src/budget/index.ts';
/** GET /accounts/:id/budget: the active plan (and its events), and the account's ended plans. */
export type AccountBudget = Awaited<ReturnType<typeof budget.planOfAccount>>;
/** GET /budget/plans/:id and the answers of enrol, end and re-level: the plan with its events. */
export type BudgetPlanDetail = Awaited<ReturnType<typeof budget.getPlan>>;
/** A row of GET /budget/plans: the plan with its account's number and customer's name. */
export type BudgetPlanListItem = Awaited<ReturnType<typeof budget.listPlans>>['items'][number];
/** The answer of POST /budget/review. */
export type BudgetReviewResult = budget.ReviewResult;

export const budgetPlanStatuses = ['active', 'ended'] as const;
type _BudgetPlanStatusesMatch = Check<Same<(typeof budgetPlanStatuses)[number], BudgetPlan['status']>>;

export const budgetEventKinds = ['enrolled', 'relevelled', 'reviewed', 'settled', 'ended'] as const;
type _BudgetEventKindsMatch = Check<Same<(typeof budgetEventKinds)[number], BudgetEvent['kind']>>;

export const budgetEndReasons = ['request', 'delinquency', 'final_bill'] as const;
type _BudgetEndReasonsMatch = Check<Same<(typeof budgetEndReasons)[number], NonNullable<BudgetPlan['endReason']>>>;

// ---- security deposits and refunds ----
export type { DepositEvaluation as SecurityDepositEvaluation, DepositRunResult as SecurityDepositRunResult } from '../../src/deposit/index.ts';
export type { Refund, RefundExport, RefundSettings } from '../../src/refund/index.ts';
/** GET /security-deposits/:id and a deposit of GET /accounts/:id/security-deposits: with its instalments, interest and events. */
export type SecurityDeposit = SecurityDepositShape;
export type SecurityDepositStatus = SecurityDeposit['status'];
export type SecurityDepositInstalment = SecurityDeposit['instalments'][number];
export type SecurityDepositEvent = SecurityDeposit['events'][number];
/** A row of GET /security-deposits: the deposit with its account's number and customer's name. */
export type SecurityDepositListItem = Awaited<ReturnType<typeof securityDeposits.listDeposits>>['items'][number];
/** GET /accounts/:id/refunds: the account's refunds and the credit it has to refund. */
export interface AccountRefunds {
  items: RefundShape[];
  creditAvailableCents: number;
}
export type RefundStatus = RefundShape['status'];
/** A row of GET /refunds: the refund with its account's number. */
export type RefundListItem = Awaited<ReturnType<typeof refunds.listRefunds>>['items'][number];
/** A row of GET /refunds/exports (the file itself is GET /refunds/exports/:id/file). */
export type RefundExportListItem = Awaited<ReturnType<typeof refunds.listExports>>[number];

export const securityDepositStatuses = ['billing', 'held', 'returned', 'applied', 'cancelled'] as const;
type _SecurityDepositStatusesMatch = Check<Same<(typeof securityDepositStatuses)[number], SecurityDepositStatus>>;

export const refundStatuses = ['requested', 'approved', 'exported', 'returned', 'cancelled'] as const;
type _RefundStatusesMatch = Check<Same<(typeof refundStatuses)[number], RefundStatus>>;

// ---- energy assistance: agencies, programs, pledges, agency payments, the review, the report ----
export type { Agency, AgencyPayment, AgencyPaymentItemResult, Pledge, PledgeHold, Program, ProgramReport as AssistanceReport, ReportRow as AssistanceReportRow, ReviewResult as AssistanceReviewResult } from '../../src/assistance/index.ts';
/** GET /accounts/:id/pledges: the account's pledges, the one holding collection today, and whether it counts as an energy-assistance customer. */
export type AccountPledges = Awaited<ReturnType<typeof assistance.pledgesOfAccount>>;
/** A row of GET /assistance/programs: the program with its agency's code and name. */
export type AssistanceProgram = Awaited<ReturnType<typeof assistance.listPrograms>>[number];
/** The answer of POST /assistance/agency-payments (replayed: the same check was posted before). */
export type AgencyCheckResult = Awaited<ReturnType<typeof assistance.postAgencyCheck>>;
/** A row of GET /assistance/agency-payments. */
export type AgencyPaymentListItem = Awaited<ReturnType<typeof assistance.listAgencyPayments>>['items'][number];
/** The answer of POST /assistance/imports. */
export type AgencyImportResult = assistance.ImportResult;

export const pledgeStatuses = ['open', 'partial', 'paid', 'expired', 'cancelled'] as const;
type _PledgeStatusesMatch = Check<Same<(typeof pledgeStatuses)[number], Pledge['status']>>;

// ---- collections: the work queue, the daily run, the path's settings, an account's panel ----
/** A row of GET /collections/queue: an open case with its account, what may be collected, its next step and what holds it. */
export type CollectionsQueueItem = Awaited<ReturnType<typeof collections.workQueue>>[number];
/** A hold on a queue row (kind, detail, until, and what it holds: notices, disconnection, late fees). */
export type CollectionsQueueHold = CollectionsQueueItem['holds'][number];
/** The answer of POST /collections/runs (`alreadyRun` when the date had run: nothing was done). */
export type CollectionsRunResult = collections.CollectionsRunResult;
export type CollectionsRunAction = CollectionsRunResult['actions'][number];
export type CollectionsRunSkipped = CollectionsRunResult['skippedProtected'][number];
/** A row of GET /collections/runs. */
export type CollectionsRunRecord = collections.RunRecord;
/** GET /collections/runs/:date: the run with every action recorded that day and its notices. */
export type CollectionsRunDetail = Awaited<ReturnType<typeof collections.runOfDate>>;
export type CollectionAction = collections.CollectionAction;
export type CollectionNotice = collections.CollectionNotice;
export type CollectionCase = collections.CollectionCase;
/** GET /collections/settings: the settings and the path's steps. */
export type CollectionsSettingsDetail = Awaited<ReturnType<typeof collections.getSettings>>;
export type CollectionsSettings = collections.CollectionsSettings;
export type CollectionStep = CollectionsSettingsDetail['steps'][number];
/** GET /accounts/:id/collections: owing today, the holds in force, the cases, actions and notices. */
export type AccountCollections = Awaited<ReturnType<typeof collections.accountCollections>>;
export type AccountCollectionsHold = AccountCollections['holds'][number];
/** The answers of POST /accounts/:id/collections/disconnect and /reconnect. */
export type CollectionsDisconnectResult = Awaited<ReturnType<typeof collections.orderDisconnect>>;
export type CollectionsReconnectResult = Awaited<ReturnType<typeof collections.requestReconnect>>;

// ---- bad debt: final accounts, the agency, write-offs and balance transfers ----
export type { AccountBadDebt, AgencyCollection, BadDebtSettings, BalanceTransfer, CollectionAgency, FinalAccountItem, FinalAccountStep, PlacementFile, PlacementFileResult, PrecollectionLetter, RecallFile, RemittanceResult, RunResult as BadDebtRunResult, WriteOff } from '../../src/bad-debt/index.ts';
/** A row of GET /bad-debt/candidates: an account ready to place, with its letter dates and balance. */
export type PlacementCandidate = Awaited<ReturnType<typeof badDebt.candidates>>[number];
/** A row of GET /bad-debt/placements: with the account, the agency and what it has collected. */
export type PlacementListItem = Awaited<ReturnType<typeof badDebt.listPlacements>>['items'][number];
/** A row of GET /bad-debt/collections. */
export type AgencyCollectionListItem = Awaited<ReturnType<typeof badDebt.listCollections>>['items'][number];
/** A row of GET /bad-debt/remittances. */
export type RemittanceListItem = Awaited<ReturnType<typeof badDebt.listRemittances>>[number];
/** A row of GET /bad-debt/letters. */
export type PrecollectionLetterListItem = Awaited<ReturnType<typeof badDebt.listLetters>>['items'][number];
/** GET /bad-debt/write-offs: a page of write-offs (with account and customer) and the bad-debt totals. */
export type WriteOffList = Awaited<ReturnType<typeof badDebt.listWriteOffs>>;
export type WriteOffListItem = WriteOffList['items'][number];
/** A row of GET /bad-debt/runs. */
export type BadDebtRunRecord = Awaited<ReturnType<typeof badDebt.listRuns>>[number];

export const writeOffStatuses = ['requested', 'approved', 'refused', 'cancelled'] as const;
type _WriteOffStatusesMatch = Check<Same<(typeof writeOffStatuses)[number], WriteOffShape['status']>>;
export const placementStatuses = ['placed', 'recalled'] as const;
type _PlacementStatusesMatch = Check<Same<(typeof placementStatuses)[number], PlacementShape['status']>>;
/** Why a placement is recalled (`recallReasons` of src/bad-debt/service.ts; 'transferred' is the system's own). */
export const recallReasons = ['paid', 'dispute', 'bankruptcy', 'deceased', 'error', 'other'] as const satisfies readonly NonNullable<PlacementShape['recallReason']>[];

// ---- bankruptcy cases and deceased customers (C15) ----
export type { BankruptcyCase, BankruptcyCaseAccount, BankruptcySettings, PrePetitionSplit, AssuranceState } from '../../src/bankruptcy/index.ts';
export type { CreditorClaim, DeceasedCase, DeceasedSettings, SurvivorTransfer } from '../../src/deceased/index.ts';
export const bankruptcyStatuses = ['open', 'discharged', 'dismissed', 'closed'] as const;
type _BankruptcyStatusesMatch = Check<Same<(typeof bankruptcyStatuses)[number], import('../../src/bankruptcy/index.ts').BankruptcyCaseStatus>>;
export const deceasedStatuses = ['open', 'estate_claim', 'transferred', 'closed'] as const;
type _DeceasedStatusesMatch = Check<Same<(typeof deceasedStatuses)[number], import('../../src/deceased/index.ts').DeceasedCaseStatus>>;
export const claimStatuses = ['draft', 'filed', 'allowed', 'rejected', 'paid', 'written_off'] as const;
type _ClaimStatusesMatch = Check<Same<(typeof claimStatuses)[number], import('../../src/deceased/index.ts').ClaimStatus>>;

// ---- customer protections and payment arrangements (src/protection/) ----
export type { Arrangement, ArrangementKind, ArrangementListItem, ArrangementQuote, ArrangementStanding, ArrangementStatus, Dispute, HeatAlert, Instalment as ArrangementInstalment, MedicalCertificate, MedicalNotice, Protection, ProtectionKind, ProtectionSettings, ReviewResult as ArrangementReviewResult, WinterProtection, WinterQuote } from '../../src/protection/index.ts';
/** GET /accounts/:id/protections: what is in force on the day, and why. */
export interface AccountProtections {
  accountId: number;
  date: string;
  items: import('../../src/protection/index.ts').Protection[];
}
/** GET /accounts/:id/medical: the notices and certificates, and the certificate limit. */
export type AccountMedical = Awaited<ReturnType<typeof import('../../src/protection/index.ts').protections.medicalOf>>;
/** A row of GET /heat-alerts/areas. */
export interface HeatArea {
  area: string;
  premises: number;
}
export const arrangementStatuses = ['active', 'completed', 'defaulted', 'cancelled'] as const;
type _ArrangementStatusesMatch = Check<Same<(typeof arrangementStatuses)[number], import('../../src/protection/index.ts').ArrangementStatus>>;
