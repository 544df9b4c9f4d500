import type { FastifyRequest } from 'fastify';
import type { Actor } from '@app/contracts';

/** The request after the auth guard: who is calling, from a verified token, and that token. */
export type AuthenticatedRequest = FastifyRequest & { actor?: Actor; accessToken?: string };
