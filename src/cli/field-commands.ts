/** CLI commands for meter reads and service orders: `reads import`, `orders list`, `orders complete`. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openRuntime } from '../app/runtime.ts';
import { readFiles } from '../meter-read/index.ts';
import { systemActor, type Actor } from '../platform/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { completeOrder, serviceOrders, type FieldData } from '../service-order/index.ts';
import { findUserByUsername } from '../staff/index.ts';
import { CliError, printResult } from './output.ts';
import type { Command } from './commands.ts';

type Values = Record<string, string | boolean | undefined>;
const json = { type: 'boolean' } as const;
const str = (v: Values, key: string) => (typeof v[key] === 'string' ? (v[key] as string) : undefined);

/** Who the command acts as: `--as USER` (their role applies), else the operating-system user. */
export async function actorFor(db: Db, v: Values): Promise<Actor> {
  const as = str(v, 'as');
  if (!as) return systemActor(`cli:${os.userInfo().username}`);
  const user = await findUserByUsername(db, as);
  if (!user || !user.active) throw new CliError(`--as: no active user ${as}`);
  return { userId: user.id, username: user.username, role: user.role };
}

const reading = (raw: string | undefined, option: string) => {
  if (raw === undefined) return undefined;
  if (!/^[0-9]{1,10}(\.[0-9]{1,4})?$/.test(raw)) throw new CliError(`--${option} must be a register reading like 04512, got "${raw}"`);
  return raw;
};

export const fieldCommands: Record<string, Command> = {
  reads: {
    options: { format: { type: 'string' }, layout: { type: 'string' }, meter: { type: 'string' }, as: { type: 'string' }, json },
    async run(v, [sub, file]) {
      if (sub !== 'import' || !file) throw new CliError('usage: ratepayer reads import FILE --format csv|greenbutton [--layout CODE] [--meter SERIAL] [--json]');
      const format = str(v, 'format') ?? (/\.xml$/i.test(file) ? 'greenbutton' : 'csv');
      if (format !== 'csv' && format !== 'greenbutton') throw new CliError(`--format must be csv or greenbutton, got "${format}"`);
      let content: Buffer;
      try {
        content = fs.readFileSync(file);
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const runtime = await openRuntime();
      try {
        const result = await readFiles.importReads(runtime.db, await actorFor(runtime.db, v), {
          format, fileName: path.basename(file), content, layoutCode: str(v, 'layout'), meterSerial: str(v, 'meter'), timeZone: runtime.config.timeZone,
        });
        printResult(!!v.json, result, () => {
          if (result.duplicate) return `${result.fileName} was imported before (import ${result.importId}): nothing imported.`;
          const lines = [`${result.fileName}: ${result.records} records, ${result.imported} imported, ${result.duplicates} already on file, ${result.rejected} rejected, ${result.exceptions} held for review.`];
          for (const r of result.rejections.slice(0, 20)) lines.push(`  ${r.line === null ? '' : `line ${r.line}: `}${r.reason}`);
          if (result.rejections.length > 20) lines.push(`  ... and ${result.rejections.length - 20} more`);
          return lines.join('\n');
        });
      } finally {
        await runtime.close();
      }
    },
  },

  orders: {
    options: {
      status: { type: 'string' }, date: { type: 'string' }, route: { type: 'string' }, type: { type: 'string' }, limit: { type: 'string' },
      read: { type: 'string' }, rollover: { type: 'boolean' }, 'new-meter-read': { type: 'string' }, seal: { type: 'string' }, notes: { type: 'string' },
      override: { type: 'string' }, as: { type: 'string' }, json,
    },
    async run(v, [sub, id]) {
      const runtime = await openRuntime();
      try {
        if (sub === 'list') {
          const status = (str(v, 'status') ?? 'created,scheduled,held').split(',') as ('created' | 'scheduled' | 'held' | 'completed' | 'cancelled')[];
          const limit = Number(str(v, 'limit') ?? 200);
          const items = await serviceOrders.listOrders(runtime.db, { after: 0, limit, status, date: str(v, 'date'), route: str(v, 'route'), type: str(v, 'type') as never });
          printResult(!!v.json, { orders: items }, () =>
            items.length === 0 ? 'No orders.' : items.map((o) => `${o.number}  ${o.status.padEnd(9)} ${o.type.padEnd(20)} ${o.scheduledFor ?? o.effectiveDate}  ${o.route ?? '-'}  ${o.address}  ${o.meterSerial ?? ''}`).join('\n'),
          );
        } else if (sub === 'complete') {
          const orderId = Number(id?.replace(/^SO-0*/i, ''));
          if (!Number.isInteger(orderId) || orderId < 1) throw new CliError('usage: ratepayer orders complete ID [--read N] [--rollover] [--new-meter-read N] [--seal S] [--notes TEXT] [--override REASON] [--as USER] [--json]');
          const r = reading(str(v, 'read'), 'read');
          const n = reading(str(v, 'new-meter-read'), 'new-meter-read');
          const field: FieldData = {
            ...(r !== undefined ? { read: { reading: r, ...(v.rollover ? { rollover: true } : {}) } } : {}),
            ...(n !== undefined ? { newMeterRead: { reading: n } } : {}),
            ...(str(v, 'seal') ? { sealNumber: str(v, 'seal') } : {}),
            ...(str(v, 'notes') ? { notes: str(v, 'notes') } : {}),
          };
          const result = await completeOrder(runtime.db, await actorFor(runtime.db, v), orderId, field, { override: str(v, 'override') });
          printResult(!!v.json, result, () => {
            if (result.alreadyCompleted) return `${result.order.number} was already completed with this field data: nothing changed.`;
            if (result.held) return [`${result.order.number} is held for review:`, ...result.findings.map((f) => `  ${f.code}: ${f.message}`)].join('\n');
            const reads = result.reads.map((x) => `read ${x.reading} on ${x.readDate}${x.usage === null ? '' : ` (use ${x.usage})`}${x.exceptions.length ? ` [${x.exceptions.map((e) => e.code).join(', ')}]` : ''}`);
            return `${result.order.number} completed${result.findings.length ? ` over ${result.findings.map((f) => f.code).join(', ')}` : ''}.${reads.length ? ` ${reads.join('; ')}.` : ''}`;
          });
          if (result.held) process.exitCode = 3;
        } else {
          throw new CliError('usage: ratepayer orders list [--status S,S] [--date D] [--route R] [--json] | ratepayer orders complete ID [--read N] ...');
        }
      } finally {
        await runtime.close();
      }
    },
  },
};
