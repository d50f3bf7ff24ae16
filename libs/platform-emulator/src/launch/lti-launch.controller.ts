import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { renderErrorPage } from '../pages/moodle-pages';
import { PlatformEmulator } from '../platform-emulator';
import type { EmulatorActivity } from '../platform-emulator.types';
import { currentSession } from '../sessions/current-session';
import type { MoodleSession, PendingLaunch } from '../sessions/moodle-sessions';
import { LtiAuthService } from './lti-auth.service';
import { renderLoginInitiationForm } from './lti-forms';

const HTML = 'text/html; charset=utf-8';
const NO_PERMISSION = 'Sorry, but you do not currently have permissions to do that (Manage activities).';

@Controller('mod/lti')
export class LtiLaunchController {
  constructor(
    private readonly emulator: PlatformEmulator,
    private readonly auth: LtiAuthService,
  ) {}

  /** An activity's launch: the login initiation form to the tool (resource link or, for a deep-linking activity, content selection). */
  @Get('launch.php')
  launch(@Query('id') id: string, @Req() request: Request, @Res() response: Response): void {
    const session = this.requireSession(request, response);
    if (!session) return;
    const activity = this.emulator.findActivity(Number(id));
    if (!activity) {
      response.status(404).type(HTML).send(renderErrorPage('Invalid course module ID'));
      return;
    }
    if (activity.kind === 'deep-linking' && this.emulator.findUser(session.userId)?.role === 'learner') {
      response.status(403).type(HTML).send(renderErrorPage(NO_PERMISSION));
      return;
    }
    const pending: PendingLaunch =
      activity.kind === 'deep-linking'
        ? { messageType: 'LtiDeepLinkingRequest', deploymentId: activity.deploymentId, title: activity.name, text: activity.description ?? '' }
        : { messageType: 'LtiResourceLinkRequest', deploymentId: activity.deploymentId, cmid: activity.cmid };
    this.sendLoginInitiation(response, session, pending, activity);
  }

  /** Moodle's content selection (deep linking) start for a course and tool type: `?course=2&id=<type id>&title=&text=`. */
  @Get('contentitem.php')
  contentItem(@Query() query: Record<string, string | undefined>, @Req() request: Request, @Res() response: Response): void {
    const session = this.requireSession(request, response);
    if (!session) return;
    const user = this.emulator.findUser(session.userId);
    const deploymentId = query.id ?? '';
    if (user?.role === 'learner' || Number(query.course) !== this.emulator.course.id || !this.emulator.hasDeployment(deploymentId)) {
      response.status(403).type(HTML).send(renderErrorPage(NO_PERMISSION));
      return;
    }
    this.sendLoginInitiation(response, session, {
      messageType: 'LtiDeepLinkingRequest',
      deploymentId,
      title: query.title ?? '',
      text: query.text ?? '',
    });
  }

  /** Ferry redirects here with GET; a form POST works as well, as at Moodle. */
  @Get('auth.php')
  authGet(@Query() query: Record<string, string>, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.authorize(query, request, response);
  }

  @Post('auth.php')
  authPost(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.authorize({ ...(request.query as Record<string, string>), ...(request.body as Record<string, string>) }, request, response);
  }

  private async authorize(params: Record<string, string>, request: Request, response: Response): Promise<void> {
    const outcome = await this.auth.authorize(params, currentSession(request, this.emulator));
    if (outcome.kind === 'error-page') {
      response.status(400).type(HTML).send(renderErrorPage(outcome.message));
      return;
    }
    response.status(200).type(HTML).send(outcome.html);
  }

  private sendLoginInitiation(response: Response, session: MoodleSession, pending: PendingLaunch, activity?: EmulatorActivity): void {
    const { tool, clientId } = this.emulator.settings;
    const launchId = this.emulator.sessions.addLaunch(session, pending, activity?.instanceId);
    // Moodle's hint: {"cmid":…,"launchid":…} for an activity, {"launchid":…} for content selection.
    const hint = pending.messageType === 'LtiDeepLinkingRequest' ? { launchid: launchId } : { cmid: activity!.cmid, launchid: launchId };
    const html = renderLoginInitiationForm(tool.loginUrl, {
      iss: this.emulator.issuer,
      target_link_uri: pending.messageType === 'LtiDeepLinkingRequest' ? (tool.deepLinkingUrl ?? tool.launchUrl) : tool.launchUrl,
      login_hint: session.userId,
      lti_message_hint: JSON.stringify(hint),
      client_id: clientId,
      lti_deployment_id: pending.deploymentId,
    });
    response.status(200).type(HTML).send(html);
  }

  private requireSession(request: Request, response: Response): MoodleSession | undefined {
    const session = currentSession(request, this.emulator);
    if (!session) response.redirect(303, `/login/index.php?wantsurl=${encodeURIComponent(request.originalUrl)}`);
    return session;
  }
}
