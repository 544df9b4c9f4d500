import { IsString, MaxLength } from 'class-validator';

/** Only shape is checked here: any wrong value is the same 401 as a wrong password. */
export class LoginDto {
  /** @example ada@example.com */
  @IsString()
  @MaxLength(254)
  email!: string;

  /** @example correct-horse-1 */
  @IsString()
  @MaxLength(128)
  password!: string;
}
