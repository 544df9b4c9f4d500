import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

export class RegisterDto {
  /** @example ada@example.com */
  @IsEmail()
  @MaxLength(254)
  email!: string;

  /** @example correct-horse-1 */
  @IsString()
  @Length(8, 128)
  password!: string;

  /** @example "Ada Lovelace" */
  @IsString()
  @Length(1, 100)
  name!: string;
}
