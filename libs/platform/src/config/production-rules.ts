/**
 * Settings that parse fine but must never reach production: the broker's default account and a
 * database without a real password. In development they are the convenient defaults; in
 * production (`NODE_ENV=production`) they would let anyone who reaches the broker or the
 * database act as any service, so the app refuses to start instead. Likewise the dev key folder
 * is no source of the access-token public key there.
 */
export interface ProductionRuleOptions {
  /** Whether the app talks to RabbitMQ (the monolith's in-process transport does not). */
  broker: boolean;
}

/** What is wrong with `config` for production, one phrase per variable; empty when nothing is. */
export function productionProblems(config: object, options: ProductionRuleOptions): string[] {
  const env = config as Record<string, unknown>;
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (options.broker && typeof env.AMQP_URL === 'string') {
    const problem = amqpCredentialsProblem(env.AMQP_URL);
    if (problem) problems.push(`AMQP_URL: ${problem}`);
  }
  if ('DB_PASSWORD' in env) {
    const password = env.DB_PASSWORD;
    if (typeof password !== 'string' || password === '' || password === 'postgres') {
      problems.push('DB_PASSWORD: an empty or default ("postgres") database password is refused in production');
    }
  }
  if ('JWT_PUBLIC_KEY' in env && !env.JWT_PUBLIC_KEY) {
    problems.push('JWT_PUBLIC_KEY: required in production (the gateway public key access tokens are verified with)');
  }
  return problems;
}

function amqpCredentialsProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null; // the URL rule reports it
  }
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  // amqplib logs in as guest/guest when the URL names no user.
  if (user === '' || (user === 'guest' && password === 'guest')) {
    return 'the default guest account is refused in production: give the app its own broker user (scripts/broker-users.mjs)';
  }
  if (password === '') return 'a broker user without a password is refused in production';
  return null;
}
