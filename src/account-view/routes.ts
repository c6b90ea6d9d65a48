import { Type } from 'typebox';
import { AuditPage } from '../audit/index.ts';
import { AccountSchema, AlertSchema, CustomerDetailSchema } from '../customer/index.ts';
import type { App, Deps } from '../platform/http/app-types.ts';
import { IdParams, Nullable } from '../platform/http/schemas.ts';
import { AccountServiceSchema } from '../premise/index.ts';
import { accountOverview } from './service.ts';

export function registerAccountViewRoutes(app: App, { db, clock }: Deps): void {
  app.get('/api/v1/accounts/:id/overview', {
    config: { access: 'read' },
    schema: {
      tags: ['accounts'],
      summary: 'Everything the account page shows, in one call',
      params: IdParams,
      response: {
        200: Type.Object({
          account: AccountSchema,
          customer: CustomerDetailSchema,
          services: Type.Array(AccountServiceSchema),
          alerts: Type.Array(AlertSchema),
          balance: Type.Object({ amountCents: Type.Integer({ description: 'The ledger balance: positive, the customer owes' }), asOf: Type.String() }),
          recentActivity: AuditPage.properties.items,
        }),
      },
    },
  }, async (request) => accountOverview(db, clock, request.params.id));
}
