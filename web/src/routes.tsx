import { AccountPage } from './pages/AccountPage.tsx';
import { AccountsPage } from './pages/AccountsPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { BillingExceptionsPage } from './pages/BillingExceptionsPage.tsx';
import { BillingRunPage } from './pages/BillingRunPage.tsx';
import { BillingRunsPage } from './pages/BillingRunsPage.tsx';
import { BillingSchedulePage } from './pages/BillingSchedulePage.tsx';
import { BillPage } from './pages/BillPage.tsx';
import { BudgetPlansPage } from './pages/BudgetPlansPage.tsx';
import { AssistancePage } from './pages/AssistancePage.tsx';
import { RefundsPage } from './pages/RefundsPage.tsx';
import { ArrangementsPage } from './pages/ArrangementsPage.tsx';
import { HeatAlertsPage } from './pages/HeatAlertsPage.tsx';
import { BankruptcyCasePage } from './pages/BankruptcyCasePage.tsx';
import { BankruptcyCasesPage } from './pages/BankruptcyCasesPage.tsx';
import { DeceasedAccountsPage } from './pages/DeceasedAccountsPage.tsx';
import { DeceasedCasePage } from './pages/DeceasedCasePage.tsx';
import { AgencyPlacementsPage } from './pages/AgencyPlacementsPage.tsx';
import { WriteOffsPage } from './pages/WriteOffsPage.tsx';
import { SecurityDepositsPage } from './pages/SecurityDepositsPage.tsx';
import { DelinquencySchedulePage } from './pages/DelinquencySchedulePage.tsx';
import { CollectionsQueuePage } from './pages/CollectionsQueuePage.tsx';
import { CollectionsRunsPage } from './pages/CollectionsRunsPage.tsx';
import { CollectionsSettingsPage } from './pages/CollectionsSettingsPage.tsx';
import { CustomerPage } from './pages/CustomerPage.tsx';
import { CustomersPage } from './pages/CustomersPage.tsx';
import { MeterPage } from './pages/MeterPage.tsx';
import { MetersPage } from './pages/MetersPage.tsx';
import { NewCustomerPage } from './pages/NewCustomerPage.tsx';
import { NewOrderPage } from './pages/NewOrderPage.tsx';
import { OrderPage } from './pages/OrderPage.tsx';
import { OrdersPage } from './pages/OrdersPage.tsx';
import { PremisePage } from './pages/PremisePage.tsx';
import { PremisesPage } from './pages/PremisesPage.tsx';
import { QuotePage } from './pages/QuotePage.tsx';
import { ReadExceptionsPage } from './pages/ReadExceptionsPage.tsx';
import { ReadImportPage } from './pages/ReadImportPage.tsx';
import { TariffPage } from './pages/TariffPage.tsx';
import { TariffsPage } from './pages/TariffsPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';
import { WorkListPage } from './pages/WorkListPage.tsx';
import { ChannelReportPage } from './pages/ChannelReportPage.tsx';
import { DepositsPage } from './pages/DepositsPage.tsx';
import { DepositSummaryPage } from './pages/DepositSummaryPage.tsx';
import { PaymentBatchesPage } from './pages/PaymentBatchesPage.tsx';
import { PaymentBatchPage } from './pages/PaymentBatchPage.tsx';
import { PaymentImportPage } from './pages/PaymentImportPage.tsx';
import { PaymentPage } from './pages/PaymentPage.tsx';
import { ReconciliationPage } from './pages/ReconciliationPage.tsx';
import { ReturnsPage } from './pages/ReturnsPage.tsx';
import { SuspensePage } from './pages/SuspensePage.tsx';
import { TakePaymentPage } from './pages/TakePaymentPage.tsx';
import type { Route } from './router.tsx';
import type { Access } from './session.tsx';

/**
 * Every page of the app by path. Later features add their pages here and an entry in nav.ts.
 * More specific patterns come before `:id` ones.
 */
export const routes: (Route & { access?: Access })[] = [
  { pattern: '/', title: 'Accounts', render: () => <AccountsPage /> },
  { pattern: '/accounts', title: 'Accounts', render: () => <AccountsPage /> },
  { pattern: '/accounts/:id', title: 'Account', render: (p) => <AccountPage id={Number(p.id)} tab="overview" /> },
  { pattern: '/accounts/:id/ledger', title: 'Account ledger', render: (p) => <AccountPage id={Number(p.id)} tab="ledger" /> },
  { pattern: '/accounts/:id/history', title: 'Account history', render: (p) => <AccountPage id={Number(p.id)} tab="history" /> },
  { pattern: '/customers', title: 'Customers', render: () => <CustomersPage /> },
  { pattern: '/customers/new', title: 'New customer', access: 'csr1', render: () => <NewCustomerPage /> },
  { pattern: '/customers/:id', title: 'Customer', render: (p) => <CustomerPage id={Number(p.id)} /> },
  { pattern: '/premises', title: 'Premises', render: () => <PremisesPage /> },
  { pattern: '/premises/:id', title: 'Premise', render: (p) => <PremisePage id={Number(p.id)} /> },
  { pattern: '/meters', title: 'Meters', render: () => <MetersPage /> },
  { pattern: '/meters/:id', title: 'Meter', render: (p) => <MeterPage id={Number(p.id)} /> },
  { pattern: '/service-orders', title: 'Service orders', render: () => <OrdersPage /> },
  { pattern: '/service-orders/new', title: 'New service order', access: 'csr1', render: () => <NewOrderPage /> },
  { pattern: '/service-orders/:id', title: 'Service order', render: (p) => <OrderPage id={Number(p.id)} /> },
  { pattern: '/work-list', title: 'Field work list', render: () => <WorkListPage /> },
  { pattern: '/read-exceptions', title: 'Read exceptions', render: () => <ReadExceptionsPage /> },
  { pattern: '/read-imports', title: 'Read import', access: 'csr2', render: () => <ReadImportPage /> },
  { pattern: '/billing/runs', title: 'Billing runs', render: () => <BillingRunsPage /> },
  { pattern: '/billing/runs/:id', title: 'Billing run', render: (p) => <BillingRunPage id={Number(p.id)} /> },
  { pattern: '/billing/exceptions', title: 'Billing exceptions', render: () => <BillingExceptionsPage /> },
  { pattern: '/billing/schedule', title: 'Billing schedule', render: () => <BillingSchedulePage /> },
  { pattern: '/collections/schedule', title: 'Delinquency schedule', render: () => <DelinquencySchedulePage /> },
  { pattern: '/collections', title: 'Collections queue', render: () => <CollectionsQueuePage /> },
  { pattern: '/collections/queue', title: 'Collections queue', render: () => <CollectionsQueuePage /> },
  { pattern: '/collections/runs', title: 'Collections runs', render: () => <CollectionsRunsPage /> },
  { pattern: '/collections/settings', title: 'Collections settings', render: () => <CollectionsSettingsPage /> },
  { pattern: '/bills/:id', title: 'Bill', render: (p) => <BillPage id={Number(p.id)} /> },
  { pattern: '/tariffs', title: 'Rates', render: () => <TariffsPage /> },
  { pattern: '/tariffs/:code', title: 'Rate', render: (p) => <TariffPage code={p.code!} /> },
  { pattern: '/quote', title: 'Quote', render: () => <QuotePage /> },
  { pattern: '/budget/plans', title: 'Budget plans', render: () => <BudgetPlansPage /> },
  { pattern: '/security-deposits', title: 'Security deposits', render: () => <SecurityDepositsPage /> },
  { pattern: '/refunds', title: 'Refunds', render: () => <RefundsPage /> },
  { pattern: '/arrangements', title: 'Payment arrangements', render: () => <ArrangementsPage /> },
  { pattern: '/heat-alerts', title: 'Heat alerts', render: () => <HeatAlertsPage /> },
  { pattern: '/bankruptcy', title: 'Bankruptcy cases', render: () => <BankruptcyCasesPage /> },
  { pattern: '/bankruptcy/:id', title: 'Bankruptcy case', render: (p) => <BankruptcyCasePage id={Number(p.id)} /> },
  { pattern: '/deceased', title: 'Deceased accounts', render: () => <DeceasedAccountsPage /> },
  { pattern: '/deceased/:id', title: 'Deceased case', render: (p) => <DeceasedCasePage id={Number(p.id)} /> },
  { pattern: '/bad-debt/placements', title: 'Agency placements', render: () => <AgencyPlacementsPage /> },
  { pattern: '/bad-debt/write-offs', title: 'Write-offs', render: () => <WriteOffsPage /> },
  { pattern: '/payments/new', title: 'Take a payment', access: 'csr1', render: () => <TakePaymentPage /> },
  { pattern: '/payments/batches', title: 'Payment batches', render: () => <PaymentBatchesPage /> },
  { pattern: '/payments/batches/:id', title: 'Payment batch', render: (p) => <PaymentBatchPage id={Number(p.id)} /> },
  { pattern: '/payments/suspense', title: 'Suspense queue', render: () => <SuspensePage /> },
  { pattern: '/payments/import', title: 'Import a payment file', access: 'csr2', render: () => <PaymentImportPage /> },
  { pattern: '/payments/deposits', title: 'Deposits', render: () => <DepositsPage /> },
  { pattern: '/payments/returns', title: 'Returned payments', render: () => <ReturnsPage /> },
  { pattern: '/payments/reports/deposit-summary', title: 'Deposit summary', render: () => <DepositSummaryPage /> },
  { pattern: '/payments/reports/reconciliation', title: 'Reconciliation', render: () => <ReconciliationPage /> },
  { pattern: '/payments/reports/web', title: 'Web payments', render: () => <ChannelReportPage kind="web" /> },
  { pattern: '/payments/reports/obi', title: 'Online bill-pay', render: () => <ChannelReportPage kind="obi" /> },
  { pattern: '/assistance', title: 'Energy assistance', render: () => <AssistancePage /> },
  { pattern: '/payments/:id', title: 'Payment', render: (p) => <PaymentPage id={Number(p.id)} /> },
  { pattern: '/users', title: 'Staff users', access: 'admin', render: () => <UsersPage /> },
  { pattern: '/audit', title: 'Audit trail', access: 'audit', render: () => <AuditPage /> },
];
