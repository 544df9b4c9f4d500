import { z } from 'zod';

/** Integer minor units (cents), never a float. */
export const centsSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const currencySchema = z.string().regex(/^[A-Z]{3}$/);
export const uuidSchema = z.uuid();
