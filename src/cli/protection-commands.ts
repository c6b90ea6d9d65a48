/** CLI commands for customer protections: `protections ...`, `arrangements ...`, `heat-alerts ...`. */
import { isDate } from '../platform/dates.ts';
import { formatCents } from '../platform/money.ts';
import { arrangements, protections, protectionsOf, type Arrangement, type HeatAlert } from '../protection/index.ts';
import type { Command } from './commands.ts';
import { actorFor } from './field-commands.ts';
import { CliError, printResult } from './output.ts';
import { centsOf } from './payment-commands.ts';
import { str, withRuntime, type Values, idArg as id, reasonArg as reasonOf } from './runtime.ts';

const PROTECTIONS_USAGE = [
  'usage: ratepayer protections show ACCOUNT_ID [--date D]',
  '       ratepayer protections medical-notice ACCOUNT_ID --told-by NAME [--date D] [--note T] --reason R | protections end-notice ID --reason R',
  '       ratepayer protections certificate ACCOUNT_ID --professional NAME [--date D] [--delinquent 123.45] [--note T] --reason R | protections end-certificate ID --reason R',
  '       ratepayer protections winter ACCOUNT_ID --notice-date D --income 2500.00 --grantee NAME --energy-assistance --weatherization [--requested D]',
  '                 [--arrears 600.00] [--estimated-bill 150.00] [--first-due D] [--quote] --reason R',
  '       ratepayer protections dispute ACCOUNT_ID --amount 12.34 --about TEXT [--date D] --reason R | protections resolve DISPUTE_ID --outcome TEXT [--date D] --reason R',
].join('\n');
const ARRANGEMENTS_USAGE = [
  'usage: ratepayer arrangements list [--status active|completed|defaulted|cancelled] [--kind standard|winter]',
  '       ratepayer arrangements show ID | arrangements account ACCOUNT_ID',
  '       ratepayer arrangements make ACCOUNT_ID (--instalments N | --instalment 50.00) [--arrears 300.00] [--first-due D] [--quote] --reason R',
  '       ratepayer arrangements cancel ID --reason R | arrangements review [--date D]',
].join('\n');
const HEAT_USAGE = [
  'usage: ratepayer heat-alerts list [--from D] [--to D] [--area A] | heat-alerts areas',
  '       ratepayer heat-alerts add --area A --from D --to D --source "NWS Heat Advisory" [--note T] --reason R',
  '       ratepayer heat-alerts end ID [--date D] --reason R',
].join('\n');

const required = (v: Values, key: string, usage: string) => {
  const value = str(v, key);
  if (!value?.trim()) throw new CliError(`--${key} is required\n${usage}`);
  return value.trim();
};
const date = (v: Values, key: string) => {
  const d = str(v, key);
  if (d === undefined) return undefined;
  if (!isDate(d)) throw new CliError(`--${key} must be a date YYYY-MM-DD, got "${d}"`);
  return d;
};
const cents = (v: Values, key: string) => (str(v, key) === undefined ? undefined : centsOf(str(v, key), key));
const count = (v: Values, key: string) => {
  const raw = str(v, key);
  if (raw === undefined) return undefined;
  if (!/^\d{1,3}$/.test(raw)) throw new CliError(`--${key} must be a whole number, got "${raw}"`);
  return Number(raw);
};

const schedule = (a: { instalments: { n: number; dueOn: string; amountCents: number }[] }) => a.instalments.map((i) => `  ${String(i.n).padStart(2)}. ${i.dueOn} ${formatCents(i.amountCents).padStart(11)}`).join('\n');
const arrangementText = (a: Arrangement) =>
  `${a.kind === 'winter' ? 'Winter protection plan' : 'Payment arrangement'} ${a.id} (${a.status}) on account ${a.accountId}: ${formatCents(a.arrearsCents)} in ${a.instalments.length} instalment${a.instalments.length === 1 ? '' : 's'} from ${a.startOn}`
  + (a.standing ? `; ${a.standing.goodStanding ? 'in good standing' : `behind by ${formatCents(a.standing.shortCents)}`} (${formatCents(a.standing.paidCents)} paid of ${formatCents(a.standing.owedCents)} owed)` : '')
  + (a.endedOn ? `; ${a.status} ${a.endedOn}: ${a.endReason}` : '')
  + (a.winter ? `\n  Plan: ${formatCents(a.winter.plan.paymentCents)} a month (cap ${formatCents(a.winter.plan.capCents)}: ${'7% of income plus 1/12 of the arrears'}), estimated bill ${formatCents(a.winter.estimatedMonthlyBillCents)}, paid in full by ${a.winter.plan.payInFullBy}` : '');
const heatText = (h: HeatAlert) => `${String(h.id).padStart(5)} ${h.area.padEnd(8)} ${h.fromDate} to ${h.lastDay}${h.endedOn ? ` (ended ${h.endedOn})` : ''}  ${h.source}${h.note ? `: ${h.note}` : ''}`;

export const protectionCommands: Record<string, Command> = {
  protections: {
    options: {
      date: { type: 'string' }, 'told-by': { type: 'string' }, note: { type: 'string' }, professional: { type: 'string' }, delinquent: { type: 'string' },
      'notice-date': { type: 'string' }, requested: { type: 'string' }, income: { type: 'string' }, grantee: { type: 'string' }, 'energy-assistance': { type: 'boolean' }, weatherization: { type: 'boolean' },
      arrears: { type: 'string' }, 'estimated-bill': { type: 'string' }, 'first-due': { type: 'string' }, quote: { type: 'boolean' },
      amount: { type: 'string' }, about: { type: 'string' }, outcome: { type: 'string' }, reason: { type: 'string' }, as: { type: 'string' }, json: { type: 'boolean' },
    },
    async run(v, [sub, arg]) {
      await withRuntime(async (rt) => {
        const json = !!v.json;
        const { db, clock } = rt;
        switch (sub) {
          case 'show': {
            const accountId = id(arg, 'ACCOUNT_ID', PROTECTIONS_USAGE);
            const day = date(v, 'date') ?? clock.today();
            const items = (await protectionsOf(db, [accountId], day)).get(accountId) ?? [];
            printResult(json, { accountId, date: day, items }, () => (items.length === 0 ? `No protection is in force on account ${accountId} on ${day}.` : items.map((p) => `${p.kind.padEnd(20)} ${p.from} to ${p.until ?? 'open'}  holds ${p.holds.join(', ') || `${formatCents(p.disputedCents ?? 0)} in dispute`}\n  ${p.detail}`).join('\n')));
            break;
          }
          case 'medical-notice': {
            const n = await protections.recordMedicalNotice(db, await actorFor(db, v), clock, { accountId: id(arg, 'ACCOUNT_ID', PROTECTIONS_USAGE), toldOn: date(v, 'date'), toldBy: required(v, 'told-by', PROTECTIONS_USAGE), note: str(v, 'note'), reason: reasonOf(v) });
            printResult(json, n, () => `Medical notice ${n.id} on account ${n.accountId}: told ${n.toldOn} by ${n.toldBy}; disconnection postponed to ${n.holdsUntil}.`);
            break;
          }
          case 'end-notice': {
            const n = await protections.endMedicalNotice(db, await actorFor(db, v), clock, id(arg, 'NOTICE_ID', PROTECTIONS_USAGE), { endedOn: date(v, 'date'), reason: reasonOf(v) });
            printResult(json, n, () => `Medical notice ${n.id} ended on ${n.endedOn}.`);
            break;
          }
          case 'certificate': {
            const c = await protections.recordMedicalCertificate(db, await actorFor(db, v), clock, {
              accountId: id(arg, 'ACCOUNT_ID', PROTECTIONS_USAGE), receivedOn: date(v, 'date'), professionalName: required(v, 'professional', PROTECTIONS_USAGE), delinquentCents: cents(v, 'delinquent'), note: str(v, 'note'), reason: reasonOf(v),
            });
            printResult(json, c, () => `Medical certificate ${c.id} from ${c.professionalName}, received ${c.receivedOn}: holds to ${c.holdsUntil} once ${formatCents(c.paymentDueCents)} is paid (${c.paid ? 'paid' : `until then only to ${c.noticeHoldsUntil}`}).`);
            break;
          }
          case 'end-certificate': {
            const c = await protections.endMedicalCertificate(db, await actorFor(db, v), clock, id(arg, 'CERTIFICATE_ID', PROTECTIONS_USAGE), { endedOn: date(v, 'date'), reason: reasonOf(v) });
            printResult(json, c, () => `Medical certificate ${c.id} ended on ${c.endedOn}.`);
            break;
          }
          case 'winter': {
            const input = {
              accountId: id(arg, 'ACCOUNT_ID', PROTECTIONS_USAGE), noticeDate: date(v, 'notice-date') ?? required(v, 'notice-date', PROTECTIONS_USAGE), requestedOn: date(v, 'requested'),
              monthlyIncomeCents: centsOf(required(v, 'income', PROTECTIONS_USAGE), 'income'), incomeDocumentedTo: str(v, 'grantee') ?? '',
              appliedEnergyAssistance: !!v['energy-assistance'], appliedWeatherization: !!v.weatherization,
              arrearsCents: cents(v, 'arrears'), estimatedMonthlyBillCents: cents(v, 'estimated-bill'), firstDueOn: date(v, 'first-due'),
            };
            if (v.quote) {
              const q = await arrangements.winterQuote(db, clock, input);
              printResult(json, q, () => [
                q.plan ? `Winter plan for account ${q.accountId}: ${formatCents(q.plan.paymentCents)} a month for ${q.plan.months} months (cap ${formatCents(q.plan.capCents)}, needed ${formatCents(q.plan.neededCents)}), arrears ${formatCents(q.arrearsCents)} paid in full by ${q.plan.payInFullBy}${q.plan.clearsArrears ? '' : ' (the cap does not clear the arrears: the rest is due then)'}` : `No plan for account ${q.accountId}.`,
                `Asked ${q.requestedOn}, notice ${q.noticeDate} (deadline ${q.requestDeadline}); ${q.inSeason ? `in season to ${q.seasonLastDay}` : 'outside the season: the plan runs as an arrangement'}.`,
                ...(q.instalments.length ? ['Instalments on the arrears:', schedule(q)] : []),
                ...(q.problems.length ? ['Would be refused:', ...q.problems.map((p) => `  - ${p}`)] : ['Every condition is met.']),
              ].join('\n'));
            } else {
              const a = await arrangements.requestWinterProtection(db, await actorFor(db, v), clock, { ...input, reason: reasonOf(v) });
              printResult(json, a, () => `${arrangementText(a)}\n${schedule(a)}`);
            }
            break;
          }
          case 'dispute': {
            const d = await protections.openDispute(db, await actorFor(db, v), clock, { accountId: id(arg, 'ACCOUNT_ID', PROTECTIONS_USAGE), amountCents: centsOf(required(v, 'amount', PROTECTIONS_USAGE), 'amount'), about: required(v, 'about', PROTECTIONS_USAGE), openedOn: date(v, 'date'), reason: reasonOf(v) });
            printResult(json, d, () => `Dispute ${d.id} on account ${d.accountId}: ${formatCents(d.amountCents)} (${d.about}) open since ${d.openedOn}.`);
            break;
          }
          case 'resolve': {
            const d = await protections.resolveDispute(db, await actorFor(db, v), clock, id(arg, 'DISPUTE_ID', PROTECTIONS_USAGE), { outcome: required(v, 'outcome', PROTECTIONS_USAGE), resolvedOn: date(v, 'date'), reason: reasonOf(v) });
            printResult(json, d, () => `Dispute ${d.id} resolved on ${d.resolvedOn}: ${d.outcome}`);
            break;
          }
          default:
            throw new CliError(PROTECTIONS_USAGE);
        }
      });
    },
  },

  arrangements: {
    options: {
      status: { type: 'string' }, kind: { type: 'string' }, instalments: { type: 'string' }, instalment: { type: 'string' }, arrears: { type: 'string' }, 'first-due': { type: 'string' },
      quote: { type: 'boolean' }, date: { type: 'string' }, reason: { type: 'string' }, as: { type: 'string' }, json: { type: 'boolean' },
    },
    async run(v, [sub, arg]) {
      await withRuntime(async (rt) => {
        const json = !!v.json;
        const { db, clock } = rt;
        switch (sub) {
          case 'list': {
            const status = str(v, 'status');
            if (status !== undefined && !['active', 'completed', 'defaulted', 'cancelled'].includes(status)) throw new CliError(`--status must be active, completed, defaulted or cancelled, got "${status}"`);
            const kind = str(v, 'kind');
            if (kind !== undefined && !['standard', 'winter'].includes(kind)) throw new CliError(`--kind must be standard or winter, got "${kind}"`);
            const page = await arrangements.listArrangements(db, clock, { status: status as 'active' | undefined, kind: kind as 'standard' | undefined, after: 0, limit: 200 });
            printResult(json, page, () => page.items.map((a) => `${String(a.id).padStart(6)} ${a.accountNumber} ${a.customerName.padEnd(24).slice(0, 24)} ${a.kind.padEnd(8)} ${a.status.padEnd(9)} ${formatCents(a.arrearsCents).padStart(11)} x${String(a.instalments.length).padEnd(3)} from ${a.startOn}${a.standing ? (a.standing.goodStanding ? '  in good standing' : `  behind ${formatCents(a.standing.shortCents)}`) : ''}`).join('\n') || 'No payment arrangements.');
            break;
          }
          case 'show': {
            const a = await arrangements.getArrangement(db, clock, id(arg, 'ARRANGEMENT_ID', ARRANGEMENTS_USAGE));
            printResult(json, a, () => `${arrangementText(a)}\n${schedule(a)}`);
            break;
          }
          case 'account': {
            const items = await arrangements.arrangementsOfAccount(db, clock, id(arg, 'ACCOUNT_ID', ARRANGEMENTS_USAGE));
            printResult(json, { items }, () => items.map(arrangementText).join('\n') || `Account ${arg} has no payment arrangements.`);
            break;
          }
          case 'make': {
            const input = { accountId: id(arg, 'ACCOUNT_ID', ARRANGEMENTS_USAGE), instalments: count(v, 'instalments'), instalmentCents: cents(v, 'instalment'), arrearsCents: cents(v, 'arrears'), firstDueOn: date(v, 'first-due') };
            if (v.quote) {
              const q = await arrangements.quoteArrangement(db, clock, input);
              printResult(json, q, () => `Account ${q.accountId}: ${formatCents(q.arrearsCents)} in ${q.instalments.length} instalment${q.instalments.length === 1 ? '' : 's'} (delinquent today ${formatCents(q.delinquentCents)}; at most ${q.maxInstalments}, ${q.supervisorMaxInstalments} with a supervisor)\n${schedule(q)}`);
            } else {
              const a = await arrangements.createArrangement(db, await actorFor(db, v), clock, { ...input, reason: reasonOf(v) });
              printResult(json, a, () => `${arrangementText(a)}\n${schedule(a)}`);
            }
            break;
          }
          case 'cancel': {
            const a = await arrangements.cancelArrangement(db, await actorFor(db, v), clock, id(arg, 'ARRANGEMENT_ID', ARRANGEMENTS_USAGE), reasonOf(v));
            printResult(json, a, () => arrangementText(a));
            break;
          }
          case 'review': {
            const r = await arrangements.reviewArrangements(db, await actorFor(db, v), clock, date(v, 'date') ?? clock.today());
            printResult(json, r, () => (r.defaulted.length + r.completed.length === 0
              ? `Arrangement review for ${r.date}: nothing to do.`
              : `Arrangement review for ${r.date}: ${r.defaulted.length} defaulted${r.defaulted.length ? ` (${r.defaulted.join(', ')})` : ''}, ${r.completed.length} completed${r.completed.length ? ` (${r.completed.join(', ')})` : ''}.`));
            break;
          }
          default:
            throw new CliError(ARRANGEMENTS_USAGE);
        }
      });
    },
  },

  'heat-alerts': {
    options: { from: { type: 'string' }, to: { type: 'string' }, area: { type: 'string' }, source: { type: 'string' }, note: { type: 'string' }, date: { type: 'string' }, reason: { type: 'string' }, as: { type: 'string' }, json: { type: 'boolean' } },
    async run(v, [sub, arg]) {
      await withRuntime(async (rt) => {
        const json = !!v.json;
        const { db, clock } = rt;
        switch (sub) {
          case 'list': {
            const items = await protections.listHeatAlerts(db, { from: date(v, 'from'), to: date(v, 'to'), area: str(v, 'area') });
            printResult(json, { items }, () => items.map(heatText).join('\n') || 'No heat alerts.');
            break;
          }
          case 'areas': {
            const items = await protections.heatAreas(db);
            printResult(json, { items }, () => items.map((a) => `${a.area.padEnd(8)} ${a.premises} premises`).join('\n') || 'No premises yet.');
            break;
          }
          case 'add': {
            const h = await protections.createHeatAlert(db, await actorFor(db, v), clock, {
              area: required(v, 'area', HEAT_USAGE), fromDate: date(v, 'from') ?? required(v, 'from', HEAT_USAGE), toDate: date(v, 'to') ?? required(v, 'to', HEAT_USAGE),
              source: required(v, 'source', HEAT_USAGE), note: str(v, 'note'), reason: reasonOf(v),
            });
            printResult(json, h, () => `Heat alert ${h.id} for area ${h.area}, ${h.fromDate} to ${h.lastDay} (${h.source}): no disconnection of residential service there on those days.`);
            break;
          }
          case 'end': {
            const h = await protections.endHeatAlert(db, await actorFor(db, v), clock, id(arg, 'ALERT_ID', HEAT_USAGE), { endedOn: date(v, 'date'), reason: reasonOf(v) });
            printResult(json, h, () => `Heat alert ${h.id} for area ${h.area} ended on ${h.endedOn}: its last day is ${h.lastDay}.`);
            break;
          }
          default:
            throw new CliError(HEAT_USAGE);
        }
      });
    },
  },
};
