/**
 * Request metadata of our own, beside the context headers (`x-correlation-id`,
 * `x-causation-id`) that keep their names on every transport.
 */
export const GrpcMetadata = {
  /** The caller's id of this request: the causation id of what the handler does. */
  requestId: 'x-request-id',
  /** W3C trace context, as `injectTraceContext` writes it. */
  traceContext: ['traceparent', 'tracestate'],
} as const;
