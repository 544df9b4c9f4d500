import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from '@app/contracts';

export class UpdateProfileDto {
  /** @example "Ada King" */
  @IsOptional()
  @IsString()
  @Length(1, NAME_MAX_LENGTH)
  name?: string;

  /** @example ada.king@example.com */
  @IsOptional()
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string;
}
