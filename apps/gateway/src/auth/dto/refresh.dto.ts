import { IsString, Length } from 'class-validator';

export class RefreshDto {
  /** @example q3Zk0cX1n7b2Yw5mV9sT4rP8uL6hJ0gF2eD1aC3bB5E */
  @IsString()
  @Length(1, 200)
  refreshToken!: string;
}
