/**
 * Runs work atomically: everything the repositories inside do commits together or not at all.
 * Nested calls join the outer unit. The infrastructure binds it to a database transaction.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
}
