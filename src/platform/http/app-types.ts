import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Access, Actor } from '../actor.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: see `Access`. Every /api route must say. */
    access?: Access;
  }
  interface FastifyRequest {
    /** Set by the auth hook before the handler runs; `undefined` only on public routes. */
    actor?: Actor;
  }
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What every context's routes and services are given. */
export interface Deps {
  db: Db;
  clock: Clock;
  config: Config;
}
