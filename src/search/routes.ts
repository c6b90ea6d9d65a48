import { Type } from 'typebox';
import type { App, Deps } from '../platform/http/app-types.ts';
import { findAccounts } from './service.ts';

const Result = Type.Object({
  accountId: Type.Integer(),
  accountNumber: Type.String(),
  status: Type.String(),
  customerClass: Type.String(),
  name: Type.String(),
  billingAddress: Type.String(),
  matchedOn: Type.String(),
  matched: Type.String(),
});

export function registerSearchRoutes(app: App, { db }: Deps): void {
  app.get('/api/v1/search/accounts', {
    config: { access: 'read' },
    schema: {
      tags: ['accounts'],
      summary: 'Find accounts by account number, name, address, phone or meter serial (as you type)',
      querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 100 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Result) }) },
    },
  }, async (request) => ({ items: await findAccounts(db, request.query.q, request.query.limit ?? 20) }));
}
