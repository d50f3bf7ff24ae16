import { Controller, Get, Header } from '@nestjs/common';
import { ToolKeysService, type ToolJwks } from './tool-keys.service';

@Controller('.well-known')
export class JwksController {
  constructor(private readonly toolKeys: ToolKeysService) {}

  /** CONTRACT.md "Public keyset URL". Platforms cache it; next keys are published ahead of use. */
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): Promise<ToolJwks> {
    return this.toolKeys.jwks();
  }
}
