/** Meter reads: register reads with validation and estimation, read files, interval data (C3). */
export * as meterReads from './service.ts';
export type { MeterRead, ReadPurpose, ReadType, ReadInput } from './service.ts';
export { MeterNotInstalledError } from './service.ts';
export { registerUsage, type ReadFinding } from './rules.ts';
export type { MeterReadTables } from './repository.ts';
export { registerMeterReadRoutes, MeterReadSchema } from './routes.ts';
export * as readFiles from './import.ts';
