import { IsString, Length } from 'class-validator';
import { REFRESH_TOKEN_MAX_LENGTH } from '@app/contracts';

export class RefreshDto {
  /** @example q3Zk0cX1n7b2Yw5mV9sT4rP8uL6hJ0gF2eD1aC3bB5E */
  @IsString()
  @Length(1, REFRESH_TOKEN_MAX_LENGTH)
  refreshToken!: string;
}
