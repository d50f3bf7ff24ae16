import { Body, Controller, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { jwtVerify } from 'jose';
import { renderContentAddedPage, renderErrorPage } from '../pages/moodle-pages';
import { PlatformEmulator } from '../platform-emulator';
import type { EmulatorActivity } from '../platform-emulator.types';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim';
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim';

interface ResourceLinkItem {
  type?: string;
  title?: string;
  text?: string;
  url?: string;
  custom?: Record<string, unknown>;
  lineItem?: { scoreMaximum?: number };
}

/**
 * Moodle's mod/lti/contentitem_return.php: the tool form-posts a signed LtiDeepLinkingResponse as
 * `JWT`, and each `ltiResourceLink` item becomes an activity on the course page.
 */
@Controller('mod/lti')
export class ContentItemReturnController {
  constructor(private readonly emulator: PlatformEmulator) {}

  @Post('contentitem_return.php')
  async contentItemReturn(
    @Query() query: Partial<Record<'course' | 'id' | 'sesskey', string>>,
    @Body('JWT') jwt: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    // The tool posts from another site, so the SameSite=Lax session cookie stays behind; the
    // sesskey in the return URL names the session instead.
    const session = query.sesskey ? this.emulator.sessions.findBySesskey(query.sesskey) : undefined;
    const fail = (message: string) => response.status(400).type('html').send(renderErrorPage(message));
    if (!session) return void fail('Incorrect sesskey submitted, form not accepted!');
    if (Number(query.course) !== this.emulator.course.id || !query.id || !this.emulator.hasDeployment(query.id)) {
      return void fail('Invalid course or tool type');
    }
    if (!jwt) return void fail('Missing JWT');

    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(jwt, this.emulator.toolKeySet, {
        algorithms: ['RS256'],
        issuer: this.emulator.settings.clientId,
        audience: this.emulator.issuer,
      }));
    } catch (error) {
      return void fail(`Invalid JWT: ${(error as Error).message}`);
    }
    if (claims[`${LTI}/message_type`] !== 'LtiDeepLinkingResponse') return void fail('Unexpected message type');
    if (claims[`${LTI}/deployment_id`] !== query.id) return void fail('Wrong deployment id');
    if (!claims.nonce) return void fail('Missing nonce');

    const items = (claims[`${DL}/content_items`] ?? []) as ResourceLinkItem[];
    if (!Array.isArray(items)) return void fail('content_items must be an array');
    const added = items
      .filter((item) => item.type === 'ltiResourceLink')
      .map((item) => this.addActivity(item, query.id!));
    response.status(200).type('html').send(renderContentAddedPage(this.emulator.course, added));
  }

  private addActivity(item: ResourceLinkItem, deploymentId: string): EmulatorActivity {
    const custom = Object.fromEntries(Object.entries(item.custom ?? {}).map(([key, value]) => [key, String(value)]));
    return this.emulator.addActivity({
      name: item.title || 'External tool',
      description: item.text ?? '',
      deploymentId,
      kind: 'resource-link',
      ...(Object.keys(custom).length > 0 ? { custom } : {}),
      lineItem: { id: this.emulator.nextLineItemId(), scoreMaximum: item.lineItem?.scoreMaximum ?? 100 },
    });
  }
}
