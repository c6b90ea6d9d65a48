import { parseArgs } from 'node:util';
import { AppError } from '../platform/errors.ts';
import { CliError } from './output.ts';
import { commands } from './commands.ts';

const usage = `Usage: ratepayer <command> [options]

Commands:
  start                         serve, loading a small demo district first if the database is empty
  serve [--port N]              serve the API and web app
  migrate [--json]              apply pending database migrations
  demo [--accounts N] [--seed S] [--read-months N] [--bill-months N] [--json]
                                load a deterministic demo district with N months of meter
                                reads and of bills (default 24 each)
  backup FILE [--json]          write every table to FILE
  restore FILE [--json]         replace all data with the contents of FILE
  user add USERNAME --role ROLE [--name NAME] [--json]
                                add a staff user (password from RATEPAYER_PASSWORD, or generated)
  user token USERNAME --name NAME [--json]
                                make an API token for a user (shown once)
  reads import FILE --format csv|greenbutton [--layout CODE] [--meter SERIAL] [--json]
                                import a meter read file (Green Button needs --meter)
  orders list [--status created,scheduled,held] [--date D] [--route R] [--json]
                                service orders, open ones by default
  orders complete ID [--read N] [--rollover] [--new-meter-read N] [--seal S] [--notes T]
                     [--override REASON] [--json]
                                complete an order with field data (exit 3 when checks hold it)
  tariff load FILE [--reason R] | tariff list | tariff show CODE | tariff schema [--json]
                                load a tariff file as the next version of its code, or look
  quote --tariff FILE|CODE --from DATE --to DATE --usage N [--demand KW] [--tou NAME=N,...]
        [--meter-size S] [--partial] [--first-bill] [--json]
                                rate a made-up period: every line and the total
  schedule generate|show --year YYYY [--cycles N] [--json]
                                the yearly billing schedule (weekends and holidays skipped)
  bill run --cycle N --date D [--chunk N] [--json]
                                bill a cycle: rate, validate, hold exceptions, post the rest
                                (N accounts per transaction, default 500); run it again
                                to finish a run that stopped
  bill show ID | bill final AGREEMENT_ID [--json]
                                a bill with its lines; the final bill of an ended agreement
  tax-exemption add ACCOUNT_ID --tax CODE --from DATE [--to DATE] [--certificate C] --reason R
  tax-exemption list ACCOUNT_ID [--json]
                                exempt an account from one tax of its tariffs; list them
  bill pdf ID [--out FILE] | bill print --run N [--out FILE]
                                a customer's statement as PDF; a run's print-vendor file
  import lockbox|lockbox-csv|card|obi|bai2|ach-returns|x937-returns FILE [--layout CODE] [--json]
                                take in a bank or processor file (kept; a second import of the
                                same file posts nothing); --json prints {records, posted,
                                unmatched, rejected, totalCents, duplicate}
  payment post --account ID --amount 12.34 [--method cash|check|card] [--reference R] [--key K]
  payment show ID | payment apply ID --to ACCOUNT_ID --reason R
  payment move ID [--to ACCOUNT_ID] [--amount 12.34] --reason R
                                counter payments; apply one from suspense; correct one
  batch list [--day D] | batch close ID --count N --total 1234.56
                                payment batches; close one once it balances
  deposit make [--date D] | deposit summary --from D --to D | deposit reconcile --from D --to D
                                the bank deposit; money received by channel; against BAI2
  returns list [--status open|resolved] | returns resolve ID --note TEXT
                                the returned-payments follow-up queue
  autopay file --due-date D [--out FILE]
                                the NACHA debit file for the bills due on a day (made once)
  budget quote|enrol|show ACCOUNT_ID [--assistance] [--settle-month M] [--reason R]
  budget end|relevel PLAN_ID --reason R | budget list [--status active|ended]
  budget review | budget letter EVENT_ID --out FILE
                                budget billing: the amount and eligibility, enrolment, the
                                daily review (re-levelling, delinquency), customer letters
  security-deposit check|require|show ACCOUNT_ID [--amount 150.00] [--instalments N]
  security-deposit return|apply ID --reason R | security-deposit run | security-deposit list
                                deposits by credit rule; the daily job bills instalments,
                                returns deposits after good payment, applies them to final bills
  refunds request ACCOUNT_ID [--amount 12.34] --reason R | refunds approve|cancel ID --reason R
  refunds returned ID --date D --reason R | refunds list [--status S] | refunds export [--out F]
                                refunds of credit; the accounts-payable file of approved ones
  collections schedule show|generate --year YYYY [--reason R]
  collections run [--date D] [--json]      the daily collections run (a date runs once)
  collections queue | account ID | print-file --date D [--out F] | notice ID --out F.pdf
  collections disconnect|reconnect ACCOUNT_ID --reason R [--after-hours] [--waive-fee]
                                the delinquency schedule (made with the billing schedule)
  assistance agency add|list, assistance program add|list [--agency CODE]
  assistance pledge add ACCOUNT_ID --program CODE --amount 123.45 [--expires D] --reason R
  assistance pledge list [--status S,...] [--flagged] | assistance pledge cancel ID --reason R
  assistance check --agency CODE --check N --date D --total 123.45 --item ACCOUNT=12.34 ...
  assistance import FILE [--agency CODE] | assistance review | assistance report [--csv]
                                energy assistance: agencies, programs, pledges that hold
                                collection, agency checks and files (unknown accounts to
                                suspense), the daily expiry review, the program report
  bad-debt run [--date D] [--json] | bad-debt accounts | bad-debt letters [ID --out F.pdf]
  bad-debt place --agency CODE [--account ID ...] [--out F] | bad-debt placements [--status S]
  bad-debt recall PLACEMENT_ID --why paid|dispute|bankruptcy|deceased|error|other [--note T]
  bad-debt recall --agency CODE [--out F] | bad-debt candidate ACCOUNT_ID --reason R
  bad-debt agency-payment PLACEMENT_ID --gross 100.00 [--commission 30.00] [--date D]
  bad-debt agency-payment --file F --agency CODE | bad-debt write-off ACCOUNT_ID --reason R
  bad-debt write-off list [--status S] | bad-debt approve|refuse|cancel ID --reason R
  bad-debt transfer ACCOUNT_ID --to ACCOUNT_ID --reason R | bad-debt agencies [list|add|set]
                                final accounts: the daily job (pre-collection letters, placement
                                candidates, recalls, reinstatements; a date runs once), agency
                                placement and recall files, collections net of commission,
                                write-offs (a second person, a supervisor), balance transfers
  protections show ACCOUNT_ID [--date D] | protections medical-notice ACCOUNT_ID --told-by N
  protections certificate ACCOUNT_ID --professional NAME [--date D] [--delinquent 123.45]
  protections winter ACCOUNT_ID --notice-date D --income 2500.00 --grantee NAME
              --energy-assistance --weatherization [--estimated-bill 150.00] [--quote]
  protections dispute ACCOUNT_ID --amount 12.34 --about T | protections resolve ID --outcome T
                                what protects an account on a day (medical, winter, heat, pledge,
                                arrangement, dispute); record them (--reason R on each change)
  arrangements list [--status S] | show ID | make ACCOUNT_ID --instalments N|--instalment 50.00
               [--first-due D] [--quote] | cancel ID | review [--date D]
                                payment arrangements on the arrears; the daily review defaults
                                those behind and completes those paid
  heat-alerts list [--from D] [--to D] [--area A] | heat-alerts areas
  heat-alerts add --area A --from D --to D --source S | heat-alerts end ID [--date D]
                                the extreme-heat alert calendar (no residential disconnection)
  bankruptcy open CUSTOMER_ID --chapter N --petition D --court C --case-number N [--accounts ID,ID]
             [--attorney|--trustee NAME] [--assurance 150.00 | --waive-assurance REASON] --reason R
  bankruptcy show|discharge|dismiss|close|waive-assurance CASE_ID [--date D] --reason R
  bankruptcy list [--status S] [--overdue]
                                bankruptcy cases: the pre-/post-petition split, the stay on
                                pre-petition debt, the adequate-assurance deposit (due 20 days
                                after the petition), the discharge write-off
  deceased notify CUSTOMER_ID --by NAME [--relationship R] [--date-of-death D] --reason R
  deceased estate CASE_ID [--representative N] [--court C] [--probate-number N] [--published D]
  deceased claim CASE_ID [--amount 12.34] | deceased file-claim CLAIM_ID [--date D]
  deceased claim-outcome CLAIM_ID --outcome allowed|rejected|paid|written_off
  deceased transfer CASE_ID --last-day D --survivor-customer ID|--survivor-name "F L"
  deceased show|close CASE_ID | deceased list [--status S] [--open] [--claims-due]
                                deceased customers: the estate, creditor claims (4 months from the
                                probate notice), service transferred to a survivor

Commands that change data take --as USERNAME to act as that staff user (their role applies).

Environment: DATABASE_URL (PostgreSQL server; default is the embedded database in
RATEPAYER_DATA_DIR, ./.ratepayer/data), PORT (3000), HOST (127.0.0.1).`;

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const command = commands[name];
  if (!command) throw new CliError(`unknown command "${name}"; run ratepayer --help`);
  const parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  await command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof CliError || error instanceof AppError || (error as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')
    ? (error as Error).message
    : `${(error as Error).message ?? String(error)}`;
  process.stderr.write(`ratepayer: ${message.split('\n')[0]}\n`);
  if (process.env.RATEPAYER_DEBUG) console.error(error);
  process.exit(1);
});
