import type { UserResponse } from '@app/contracts';

/** The query side: users as the API shows them, read without loading aggregates. */
export abstract class UserReadModel {
  abstract findById(id: string): Promise<UserResponse | null>;
}
