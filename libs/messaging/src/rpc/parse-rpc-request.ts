import type { z } from 'zod';
import { ACCESS_TOKEN_FIELD, CommonErrorCodes, type AnyRpcDefinition, type RpcErrorBody } from '@app/contracts';

export interface RpcFieldError {
  field: string;
  message: string;
}

export type ParsedRpcRequest = { ok: true; request: unknown } | { ok: false; error: RpcErrorBody };

/**
 * The server's one parse of a request, at its edge, whatever carried it. An invalid request is
 * VALIDATION_FAILED naming every offending field by its dotted path (`items.1.sku`), as the
 * gateway names them; one whose access token is missing or malformed is UNAUTHENTICATED, as an
 * HTTP request without credentials is 401 before its body is looked at.
 */
export function parseRpcRequest(definition: AnyRpcDefinition, data: unknown): ParsedRpcRequest {
  const parsed = definition.request.safeParse(data);
  if (parsed.success) return { ok: true, request: parsed.data };
  if (parsed.error.issues.some((issue) => issue.path[0] === ACCESS_TOKEN_FIELD)) {
    return {
      ok: false,
      error: { code: CommonErrorCodes.unauthenticated, message: 'this call needs the caller access token' },
    };
  }
  const fields = fieldErrorsOf(parsed.error);
  return {
    ok: false,
    error: {
      code: CommonErrorCodes.validationFailed,
      message: fields.map(({ field, message }) => `${field} ${message}`).join('; '),
      details: { fields },
    },
  };
}

/** One entry per issue, the path dotted; an issue with the request itself is named `request`. */
export function fieldErrorsOf(error: z.ZodError): RpcFieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length === 0 ? 'request' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
