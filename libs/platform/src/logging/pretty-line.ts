/** Fields the pretty lines leave out: they are in the message already, or the same on every line. */
export const PRETTY_IGNORED_FIELDS = 'pid,hostname,service,context,req,res,responseTime,correlationId';

interface AccessLine {
  req: { method: string; url: string };
  res: { statusCode: number };
  responseTime: number;
}

function isAccessLine(log: Record<string, unknown>): log is Record<string, unknown> & AccessLine {
  const req = log.req as AccessLine['req'] | undefined;
  const res = log.res as AccessLine['res'] | undefined;
  return typeof req?.method === 'string' && typeof res?.statusCode === 'number';
}

/**
 * The message of one pretty log line. The access line becomes `POST /api/v1/orders 201 12.3 ms`
 * instead of its JSON object spread over several lines; other lines are `[Context] message`.
 * Both end with the correlation id when the line has one, to find a request's other lines.
 */
export function prettyMessage(log: Record<string, unknown>, messageKey: string): string {
  const correlation = typeof log.correlationId === 'string' ? ` (${log.correlationId})` : '';
  if (isAccessLine(log)) {
    return `${log.req.method} ${log.req.url} ${log.res.statusCode} ${log.responseTime} ms${correlation}`;
  }
  const context = typeof log.context === 'string' ? `[${log.context}] ` : '';
  return `${context}${String(log[messageKey] ?? '')}${correlation}`;
}
