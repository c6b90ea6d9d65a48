/** Sending a document (PDF) or a file download from a route. */
import type { FastifyReply } from 'fastify';

/** A PDF shown in the browser, with a file name for saving it. */
export const sendPdf = (reply: FastifyReply, name: string, body: Buffer) =>
  reply.type('application/pdf').header('content-disposition', `inline; filename="${name}"`).send(body);
