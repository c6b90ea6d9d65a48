/** Writing CSV files staff open in a spreadsheet (RFC 4180, CRLF line ends). */

/**
 * One RFC 4180 field. A value a spreadsheet would run as a formula (= + - @, or a leading tab or
 * carriage return) gets a leading apostrophe, so a crafted name or note cannot run in staff's
 * spreadsheet.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows of fields as CSV text, CRLF after every row. */
export const csvText = (rows: string[][]): string => rows.map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';
