import { Controller, Get, Header } from '@nestjs/common';
import { PlatformEmulator } from '../platform-emulator';
import type { MoodleJwks } from './platform-keyring';

@Controller('mod/lti')
export class CertsController {
  constructor(private readonly emulator: PlatformEmulator) {}

  @Get('certs.php')
  @Header('content-type', 'application/json; charset=utf-8')
  certs(): MoodleJwks {
    return this.emulator.keyring.jwks();
  }
}
