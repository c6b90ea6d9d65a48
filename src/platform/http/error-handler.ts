import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

interface ValidationIssue {
  instancePath?: string;
  params?: Record<string, unknown>;
  message?: string;
  keyword?: string;
}

/** Turns a schema failure into the name of the field at fault, e.g. `body.billingAddress.city`. */
export function fieldOf(part: string | undefined, issue: ValidationIssue): string {
  const segments = (issue.instancePath ?? '').split('/').filter(Boolean);
  const missing = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  if (typeof missing === 'string') segments.push(missing);
  return [part ?? 'body', ...segments].join('.');
}

function describe(part: string | undefined, issue: ValidationIssue): string {
  const field = fieldOf(part, issue);
  if (issue.keyword === 'additionalProperties') return `${field} is not a known field`;
  if (issue.keyword === 'required') return `${field} is required`;
  return `${field} ${issue.message ?? 'is invalid'}`;
}

/** Every error leaves the API as `{code, message, details}`. */
export function errorHandler(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    return reply.status(error.status).send({ code: error.code, message: error.message, details: error.details });
  }
  const fe = error as FastifyError;
  if (fe.validation) {
    const issues = fe.validation as ValidationIssue[];
    const first = issues[0] ?? {};
    const part = fe.validationContext;
    return reply.status(400).send({
      code: 'validation',
      message: describe(part, first),
      details: { field: fieldOf(part, first), issues: issues.map((i) => ({ field: fieldOf(part, i), message: describe(part, i) })) },
    });
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Malformed JSON, a body that is too large, a wrong content type, ...
    return reply.status(fe.statusCode).send({ code: 'validation', message: fe.message, details: { field: 'body' } });
  }
  const constraint = constraintError(error);
  if (constraint) return reply.status(constraint.status).send(constraint.body);
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ code: 'internal', message: 'Internal error; the request was rolled back', details: { requestId: request.id } });
}

/**
 * A database constraint caught what the services did not check first: a duplicate (unique) or a
 * reference to a record that does not exist (foreign key). The column becomes the field name.
 */
function constraintError(error: Error): { status: number; body: object } | null {
  const { code, detail } = error as { code?: string; detail?: string };
  if (code !== '23505' && code !== '23503') return null;
  const match = /^Key \((?:[a-z]+\()?([a-z_]+)\)?\)=\((.*)\)/.exec(detail ?? '');
  const column = match?.[1];
  const field = column ? `body.${column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}` : 'body';
  const value = match?.[2] ?? '';
  if (code === '23505') {
    return { status: 409, body: { code: 'conflict', message: `${field}: ${value} is already taken`, details: { field } } };
  }
  return { status: 400, body: { code: 'validation', message: `${field}: no record ${value} exists`, details: { field } } };
}
