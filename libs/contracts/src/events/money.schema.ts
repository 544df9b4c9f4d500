import { z } from 'zod';

/** ISO 4217 as written: three upper-case letters (`EUR`). Which codes exist is the domain's rule. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
export const CURRENCY_RULE = 'must be 3 upper-case letters (ISO 4217)';

/** Integer minor units (cents), never a float. */
export const centsSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const currencySchema = z.string({ error: CURRENCY_RULE }).regex(CURRENCY_PATTERN, CURRENCY_RULE);
export const uuidSchema = z.uuid();
