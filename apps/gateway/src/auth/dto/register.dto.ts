import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@app/contracts';

export class RegisterDto {
  /** @example ada@example.com */
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email!: string;

  /** @example correct-horse-1 */
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password!: string;

  /** @example "Ada Lovelace" */
  @IsString()
  @Length(1, NAME_MAX_LENGTH)
  name!: string;
}
