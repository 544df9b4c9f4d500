import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class UpdateProfileDto {
  /** @example "Ada King" */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  /** @example ada.king@example.com */
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}
