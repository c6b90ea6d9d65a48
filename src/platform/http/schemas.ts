import { Type, type Static, type TSchema } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../actor.ts';
import { assert } from '../errors.ts';

/** Schemas shared by every context's routes. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, description: 'Record id' }) });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page' })),
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'Cursor: the `next` value of the previous page' })),
};

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    next: Type.Union([Type.Integer(), Type.Null()], { description: 'Cursor of the next page, or null on the last' }),
  });

export const ErrorBody = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'Error' },
);

export const Reason = Type.String({ minLength: 3, maxLength: 500, description: 'Why the change is made; kept in the audit trail' });
export const OptionalReason = Type.Optional(Reason);

export const DateString = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export type IdParams = Static<typeof IdParams>;

/** The signed-in actor of a route that is not public. */
export function actorOf(request: FastifyRequest): Actor {
  assert(request.actor, 'a non-public route ran without an actor');
  return { ...request.actor, requestId: request.id };
}

/** Slices a page fetched with limit + 1 rows into items and the cursor of the next page. */
export function toPage<T extends { id: number }>(rows: T[], limit: number): { items: T[]; next: number | null } {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? items[items.length - 1]!.id : null };
}
