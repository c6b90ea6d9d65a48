/**
 * The field work list: the service orders a crew takes out for a route and day, as a printable
 * PDF and as a CSV for a spreadsheet. Pure functions of the orders given; choosing them is the
 * caller's job.
 */
import { csvField, csvText } from '../platform/csv.ts';
import { renderPdf, type PdfColumn } from '../platform/pdf.ts';

export interface WorkListOrder {
  /** The order's id in the API (/api/v1/service-orders/:id). */
  orderId: number;
  orderNumber: string;
  /** move_in, move_out, meter_exchange, meter_test, check_read, disconnect, reconnect, tamper_investigation */
  type: string;
  /** YYYY-MM-DD */
  scheduledFor: string;
  route: string | null;
  premiseAddress: string;
  service: 'electric' | 'water' | 'fiber';
  meterSerial: string | null;
  meterDials: number | null;
  lastRead: { date: string; reading: string } | null;
  accountNumber: string | null;
  customerName: string | null;
  instructions: string | null;
  locationNote: string | null;
  priority?: 'normal' | 'urgent';
}

export interface WorkListMeta {
  /** null: the list covers all routes. */
  route: string | null;
  /** YYYY-MM-DD, the day the crew works the list. */
  date: string;
  utilityName: string;
  generatedAt: Date;
  timeZone: string;
}

export const orderTypeLabel: Record<string, string> = {
  move_in: 'Move in',
  move_out: 'Move out',
  meter_exchange: 'Meter exchange',
  meter_test: 'Meter test',
  check_read: 'Check read',
  disconnect: 'Disconnect',
  reconnect: 'Reconnect',
  tamper_investigation: 'Tamper investigation',
};

/** The label of a type, or the code made readable for a type added since. */
export function labelOfOrderType(type: string): string {
  const words = type.replace(/_/g, ' ');
  return orderTypeLabel[type] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

const SERVICE_LABEL = { electric: 'Electric', water: 'Water', fiber: 'Fiber' } as const;
const NO_ROUTE = 'No route';
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** "123 Main St Apt 4, Town" sorts as street "Main St", then house number 123. */
function addressKey(address: string): { street: string; number: number } {
  const streetPart = address.split(',')[0] ?? address;
  const match = /^\s*(\d+)\S*\s+(.*)$/.exec(streetPart);
  const street = (match?.[2] ?? streetPart).replace(/\s+(apt|unit|ste|suite|spc|space|lot|#)\b.*$/i, '').replace(/\s+#.*$/, '');
  return { street, number: match ? Number(match[1]) : 0 };
}

/** Route (numbers in order, no route last), then street, then house number: the order a crew drives. */
export function sortWorkList(orders: readonly WorkListOrder[]): WorkListOrder[] {
  const keyed = orders.map((order) => ({ order, address: addressKey(order.premiseAddress) }));
  keyed.sort((a, b) =>
    Number(a.order.route === null) - Number(b.order.route === null) ||
    collator.compare(a.order.route ?? '', b.order.route ?? '') ||
    collator.compare(a.address.street, b.address.street) ||
    a.address.number - b.address.number ||
    collator.compare(a.order.premiseAddress, b.order.premiseAddress) ||
    collator.compare(a.order.orderNumber, b.order.orderNumber));
  return keyed.map((k) => k.order);
}

// --- CSV ---

const CSV_COLUMNS: [header: string, value: (order: WorkListOrder) => string][] = [
  ['route', (o) => o.route ?? ''],
  ['scheduled_for', (o) => o.scheduledFor],
  ['order_number', (o) => o.orderNumber],
  ['order_type', (o) => o.type],
  ['order_type_label', (o) => labelOfOrderType(o.type)],
  ['priority', (o) => o.priority ?? 'normal'],
  ['premise_address', (o) => o.premiseAddress],
  ['location_note', (o) => o.locationNote ?? ''],
  ['service', (o) => o.service],
  ['meter_serial', (o) => o.meterSerial ?? ''],
  ['meter_dials', (o) => (o.meterDials === null ? '' : String(o.meterDials))],
  ['last_read_date', (o) => o.lastRead?.date ?? ''],
  ['last_read', (o) => o.lastRead?.reading ?? ''],
  ['account_number', (o) => o.accountNumber ?? ''],
  ['customer_name', (o) => o.customerName ?? ''],
  ['instructions', (o) => o.instructions ?? ''],
  // Left blank for the crew to fill in.
  ['read_value', () => ''],
  ['read_date', () => ''],
  ['seal_number', () => ''],
  ['notes', () => ''],
];

export { csvField };

/** Header row and one row per order in work-list order, CRLF line ends. */
export function workListCsv(orders: WorkListOrder[]): string {
  const lines = [CSV_COLUMNS.map(([header]) => header)];
  for (const order of sortWorkList(orders)) lines.push(CSV_COLUMNS.map(([, value]) => value(order)));
  return csvText(lines);
}

// --- PDF ---

const PDF_COLUMNS: PdfColumn[] = [
  { header: 'Order', width: 82 },
  { header: 'Premise', width: 164 },
  { header: 'Meter', width: 70 },
  { header: 'Account', width: 88 },
  { header: 'Last read', width: 62 },
  { header: 'Instructions', width: 119 },
  { header: 'Read', width: 70, writeIn: true },
  { header: 'Seal no.', width: 50, writeIn: true },
];

function pdfRow(order: WorkListOrder, listDate: string): string[] {
  const lines = (...parts: (string | null | false)[]) => parts.filter((p): p is string => typeof p === 'string' && p !== '').join('\n');
  return [
    lines(order.orderNumber, labelOfOrderType(order.type), order.priority === 'urgent' && 'URGENT', order.scheduledFor !== listDate && `Due ${order.scheduledFor}`),
    lines(order.premiseAddress, order.locationNote),
    lines(SERVICE_LABEL[order.service], order.meterSerial ?? 'No meter', order.meterDials !== null && `${order.meterDials} dials`),
    lines(order.accountNumber ?? 'No account', order.customerName),
    order.lastRead ? lines(order.lastRead.reading, order.lastRead.date) : 'None',
    order.instructions ?? '',
    '',
    '',
  ];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "12 orders: 5 Move in, 4 Meter exchange, 3 Disconnect; 2 urgent" */
export function workListSummary(orders: readonly WorkListOrder[]): string {
  const byType = new Map<string, number>();
  for (const o of orders) byType.set(labelOfOrderType(o.type), (byType.get(labelOfOrderType(o.type)) ?? 0) + 1);
  const counts = [...byType].sort((a, b) => b[1] - a[1] || collator.compare(a[0], b[0])).map(([label, n]) => `${n} ${label}`);
  const urgent = orders.filter((o) => o.priority === 'urgent').length;
  return `${plural(orders.length, 'order')}${counts.length ? `: ${counts.join(', ')}` : ''}${urgent ? `; ${urgent} urgent` : ''}`;
}

function longDate(date: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(`${date}T00:00:00Z`));
}

/** Landscape list grouped by route, one row per order with lines to write the read and seal number. */
export function workListPdf(orders: WorkListOrder[], meta: WorkListMeta): Promise<Buffer> {
  const sorted = sortWorkList(orders);
  const perRoute = new Map<string, number>();
  for (const o of sorted) perRoute.set(o.route ?? NO_ROUTE, (perRoute.get(o.route ?? NO_ROUTE) ?? 0) + 1);
  const groupOf = new Map<string[], string>();
  const rows = sorted.map((order) => {
    const row = pdfRow(order, meta.date);
    const route = order.route ?? NO_ROUTE;
    groupOf.set(row, `${route === NO_ROUTE ? route : `Route ${route}`}: ${plural(perRoute.get(route) ?? 0, 'order')}`);
    return row;
  });
  const subtitle = `${meta.route === null ? 'All routes' : `Route ${meta.route}`} \u2014 ${longDate(meta.date)}`;
  return renderPdf({ title: 'Field work list', subtitle, utilityName: meta.utilityName, generatedAt: meta.generatedAt, timeZone: meta.timeZone, landscape: true }, (pdf) => {
    pdf.paragraph(workListSummary(sorted));
    if (rows.length === 0) pdf.paragraph('No service orders are scheduled for this route and date.');
    else pdf.table(PDF_COLUMNS, rows, { groupBy: (row) => groupOf.get(row) ?? NO_ROUTE, minRowHeight: 36 });
    pdf.blankLines('Crew, truck and notes', 3);
  });
}
