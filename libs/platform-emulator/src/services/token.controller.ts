import { Controller, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { jwtVerify } from 'jose';
import { AGS_SCOPES } from '../launch/launch-claims';
import { PlatformEmulator } from '../platform-emulator';
import { ACCESS_TOKEN_LIFE_SECONDS, AccessTokens, NRPS_SCOPE } from './access-tokens';

const PERMITTED_SCOPES = [...AGS_SCOPES, NRPS_SCOPE];
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Moodle's mod/lti/token.php: OAuth 2 client credentials with a private_key_jwt assertion, form-encoded
 * POST only. Stricter than Moodle, which checks neither aud nor jti: the spec requires both.
 */
@Controller('mod/lti')
export class TokenController {
  constructor(
    private readonly emulator: PlatformEmulator,
    private readonly tokens: AccessTokens,
  ) {}

  @Post('token.php')
  async token(@Req() request: Request, @Res() response: Response): Promise<void> {
    const outcome = await this.checkRequest(request);
    if (typeof outcome === 'string') {
      this.send(response, 400, `{\n  "error" : "${outcome}"\n}`);
      return;
    }
    const token = this.tokens.issue(outcome.scopes);
    // Moodle writes this body by hand, spacing included.
    this.send(
      response,
      200,
      `{\n  "access_token" : "${token}",\n  "token_type" : "Bearer",\n  "expires_in" : ${ACCESS_TOKEN_LIFE_SECONDS},\n  "scope" : "${outcome.scopes.join(' ')}"\n}`,
    );
  }

  private async checkRequest(request: Request): Promise<string | { scopes: string[] }> {
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim();
    if (contentType !== 'application/x-www-form-urlencoded') return 'invalid_request';
    const form = (request.body ?? {}) as Record<string, string | undefined>;
    const { client_assertion: assertion, client_assertion_type: assertionType, grant_type: grantType, scope } = form;
    if (!assertion || !assertionType || !grantType || !scope) return 'invalid_request';
    if (assertionType !== JWT_BEARER || grantType !== 'client_credentials') return 'unsupported_grant_type';

    const { clientId } = this.emulator.settings;
    try {
      const { payload } = await jwtVerify(assertion, this.emulator.toolKeySet, {
        algorithms: ['RS256'],
        issuer: clientId,
        subject: clientId,
        audience: this.emulator.urls.token,
        requiredClaims: ['exp', 'jti'],
      });
      if (!this.tokens.firstUseOf(String(payload.jti))) return 'invalid_client';
    } catch {
      return 'invalid_client';
    }

    const scopes = scope.split(' ').filter((requested) => PERMITTED_SCOPES.includes(requested));
    return scopes.length > 0 ? { scopes: [...new Set(scopes)] } : 'invalid_scope';
  }

  /** token.php sets no content type, so PHP's default goes out. */
  private send(response: Response, status: number, body: string): void {
    response.status(status).set('content-type', 'text/html; charset=UTF-8').send(body);
  }
}
