/** The payment context's public face: payments, batches, deposits, imports, returns, autopay and agency payments. */
export * as payments from './service.ts';
export type { Payment, Batch } from './service.ts';
export * as paymentImports from './imports.ts';
export * as deposits from './deposits.ts';
export * as returns from './returns.ts';
export * as autopay from './autopay.ts';
export * as agencyPayments from './agency.ts';
export type { PaymentTables } from './repository.ts';
export { registerPaymentRoutes, PaymentSchema } from './routes.ts';
export { receiptPdf, depositSlipPdf, returnLetterPdf } from './documents.ts';
