import type { MixedList, EntitySchema } from 'typeorm';

export interface DatabaseOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  poolSize: number;
  migrationsRun: boolean;
  /** Send parameterised statements as named prepared statements (see buildDataSource). */
  preparedStatements?: boolean;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}
