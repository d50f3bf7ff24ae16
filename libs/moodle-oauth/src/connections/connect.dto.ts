import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Trim } from '@ferry/platforms';

/** POST /api/moodle-connection/token: a web service token created in Moodle (Manage tokens). */
export class ConnectWithTokenDto {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  token: string;
}

/** POST /api/moodle-connection/credentials: used once at Moodle's login/token.php, never stored. */
export class ConnectWithCredentialsDto {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  username: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password: string;
}
