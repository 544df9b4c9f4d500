import type { DataSource, Logger } from 'typeorm';

/**
 * Records every statement a data source sends, each described by what it does to which tables
 * ('BEGIN', 'insert orders + insert order_lines', 'select users for update', 'COMMIT'), so a
 * spec can pin how many round trips a transaction costs.
 */
export class StatementRecorder implements Logger {
  readonly statements: string[] = [];

  static attach(dataSource: DataSource): StatementRecorder {
    const recorder = new StatementRecorder();
    dataSource.setOptions({ logger: recorder, logging: ['query'] });
    return recorder;
  }

  /** The statements `work` sent, described. */
  async during(work: () => Promise<unknown>): Promise<string[]> {
    this.statements.length = 0;
    await work();
    return [...this.statements];
  }

  logQuery(query: string): void {
    this.statements.push(describeStatement(query));
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

function describeStatement(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  if (text.startsWith('START TRANSACTION')) return 'BEGIN';
  if (text === 'COMMIT' || text === 'ROLLBACK') return text;
  const writes = [...text.matchAll(/\b(INSERT INTO|UPDATE|DELETE FROM) (\w+)/g)].map(
    ([, verb, table]) => `${verb!.split(' ')[0]!.toLowerCase()} ${table}`,
  );
  if (writes.length > 0) return writes.join(' + ');
  const reads = [...new Set([...text.matchAll(/\bFROM (\w+)/g)].map(([, table]) => table))];
  return `select ${reads.join(', ')}${text.endsWith('FOR UPDATE') ? ' for update' : ''}`;
}
