import { IsString, MaxLength } from 'class-validator';

/** Only shape is checked here: any wrong value is the same 401 as a wrong password. */
export class LoginDto {
  @IsString()
  @MaxLength(254)
  email!: string;

  @IsString()
  @MaxLength(128)
  password!: string;
}
