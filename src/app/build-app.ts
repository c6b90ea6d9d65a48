import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { registerAccountViewRoutes } from '../account-view/index.ts';
import { registerAuditRoutes } from '../audit/index.ts';
import { registerCustomerRoutes } from '../customer/index.ts';
import { accessLevels } from '../platform/actor.ts';
import type { App, Deps } from '../platform/http/app-types.ts';
import { errorHandler } from '../platform/http/error-handler.ts';
import { validatorCompiler } from '../platform/http/validators.ts';
import { registerPremiseRoutes } from '../premise/index.ts';
import { registerMeterReadRoutes } from '../meter-read/index.ts';
import { registerSearchRoutes } from '../search/index.ts';
import { registerLedgerRoutes } from '../ledger/index.ts';
import { registerBillingRoutes } from '../billing/index.ts';
import { registerPaymentRoutes } from '../payment/index.ts';
import { registerBudgetRoutes } from '../budget/index.ts';
import { registerDepositRoutes } from '../deposit/index.ts';
import { registerRefundRoutes } from '../refund/index.ts';
import { registerCollectionsRoutes } from '../collections/index.ts';
import { registerAssistanceRoutes } from '../assistance/index.ts';
import { registerBadDebtRoutes } from '../bad-debt/index.ts';
import { registerBankruptcyRoutes } from '../bankruptcy/index.ts';
import { registerDeceasedRoutes } from '../deceased/index.ts';
import { registerProtectionRoutes } from '../protection/index.ts';
import { registerTariffRoutes } from '../tariff/index.ts';
import { registerServiceOrderRoutes } from '../service-order/index.ts';
import { registerAuthHook, registerStaffAuditRoutes, registerStaffRoutes } from '../staff/index.ts';
import { registerHealthRoutes } from './health.ts';

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/**
 * The composition root of the HTTP server: one Fastify app with every context's routes, the
 * auth hook, validation, OpenAPI and the built web app.
 */
export async function buildApp(deps: Deps, options: { logger?: boolean } = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger ? { level: deps.config.logLevel } : false,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();
  /** Each route's access level by "method /path", for the OpenAPI document. */
  const accessOf = new Map<string, string>();

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);

  // Invariant: every /api route declares who may call it; a route without one stops start-up.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs') || route.url === '/api/openapi.json') return;
    const access = route.config?.access;
    if (!access || !accessLevels.includes(access)) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.access`);
    }
    for (const method of [route.method].flat()) accessOf.set(`${method.toLowerCase()} ${route.url}`, access);
    if (route.schema) {
      route.schema.security = access === 'public' ? [] : [{ session: [] }, { bearer: [] }];
      const note = access === 'public' ? 'No sign-in needed.' : `Needs: ${access}.`;
      route.schema.description = route.schema.description ? `${route.schema.description}\n\n${note}` : note;
    }
  });

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Ratepayer API', version: '1', description: 'Customer information and billing for a public utility district. Sign in with POST /api/v1/auth/login (a session cookie plus an X-CSRF-Token header on changes) or send an API token as `Authorization: Bearer rp_...`. Every change takes a `reason`, kept in the audit trail.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'rp_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transformObject: (documentObject) => {
      const doc = (documentObject as { openapiObject: { paths?: Record<string, Record<string, Record<string, unknown>>> } }).openapiObject;
      for (const [url, methods] of Object.entries(doc.paths ?? {})) {
        const fastifyUrl = url.replace(/\{(\w+)\}/g, ':$1');
        for (const [method, operation] of Object.entries(methods)) {
          const access = accessOf.get(`${method} ${fastifyUrl}`);
          if (access) operation['x-access'] = access;
        }
      }
      return doc;
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerAuthHook(app, deps);
  registerHealthRoutes(app, deps);
  registerStaffRoutes(app, deps);
  registerStaffAuditRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerCustomerRoutes(app, deps);
  registerPremiseRoutes(app, deps);
  registerMeterReadRoutes(app, deps);
  registerServiceOrderRoutes(app, deps);
  registerTariffRoutes(app, deps);
  registerLedgerRoutes(app, deps);
  registerBillingRoutes(app, deps);
  registerPaymentRoutes(app, deps);
  registerBudgetRoutes(app, deps);
  registerDepositRoutes(app, deps);
  registerRefundRoutes(app, deps);
  registerCollectionsRoutes(app, deps);
  registerAssistanceRoutes(app, deps);
  registerBadDebtRoutes(app, deps);
  registerBankruptcyRoutes(app, deps);
  registerDeceasedRoutes(app, deps);
  registerProtectionRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerAccountViewRoutes(app, deps);

  // The staff web app: built files, and index.html for any other path (client-side routes).
  const haveWeb = fs.existsSync(path.join(webDist, 'index.html'));
  if (haveWeb) await app.register(fastifyStatic, { root: webDist, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET' || !haveWeb) {
      const hint = haveWeb || request.url.startsWith('/api/') ? '' : ' (the web app is not built: run `npm run build`)';
      return reply.status(404).send({ code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}${hint}`, details: {} });
    }
    return reply.sendFile('index.html');
  });
  return app;
}
