import { IsString, MaxLength } from 'class-validator';
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH } from '@app/contracts';

/** Only shape is checked here: any wrong value is the same 401 as a wrong password. */
export class LoginDto {
  /** @example ada@example.com */
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH)
  email!: string;

  /** @example correct-horse-1 */
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}
