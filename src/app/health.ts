import { sql } from 'kysely';
import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';

export function registerHealthRoutes(app: App, { db }: Deps): void {
  app.get('/api/v1/health', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Is the server up and its database answering',
      response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.Literal('ok'), time: Type.String() }) },
    },
  }, async () => {
    await sql`select 1`.execute(db);
    return { status: 'ok' as const, database: 'ok' as const, time: new Date().toISOString() };
  });
}
