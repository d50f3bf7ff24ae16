import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class CreateSessionDto {
  /** The one-time code from `/app/launch#code=…`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  code: string;
}
