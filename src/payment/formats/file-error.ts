/**
 * A bank or processor file that cannot be taken: the whole file is refused, naming the record
 * (1-based, as counted in the file: a line, or an X9.37 record) and the reason. Parsers throw it
 * on the first fault they find; importers turn it into a validation error and post nothing.
 */
export class PaymentFileError extends Error {
  constructor(
    /** 1-based record (line) number, or null for a fault of the file as a whole. */
    readonly record: number | null,
    readonly reason: string,
  ) {
    super(record === null ? reason : `record ${record}: ${reason}`);
    this.name = 'PaymentFileError';
  }
}
