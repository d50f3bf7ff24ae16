import { Controller, Get, Headers, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AGS_SCOPES } from '../launch/launch-claims';
import { PlatformEmulator } from '../platform-emulator';
import type { EmulatorActivity, EmulatorLineItem, EmulatorScore } from '../platform-emulator.types';
import { AccessTokens, NRPS_SCOPE } from './access-tokens';

const [LINEITEM_SCOPE, LINEITEM_READONLY_SCOPE, RESULT_READONLY_SCOPE, SCORE_SCOPE] = AGS_SCOPES;

const CONTENT_TYPES = {
  memberships: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json; charset=utf-8',
  lineItems: 'application/vnd.ims.lis.v2.lineitemcontainer+json; charset=utf-8',
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json; charset=utf-8',
  score: 'application/vnd.ims.lis.v1.score+json; charset=utf-8',
  results: 'application/vnd.ims.lis.v2.resultcontainer+json; charset=utf-8',
};

/** Moodle's NRPS role names in memberships (short forms, plus the full URI for a site admin). */
const MEMBERSHIP_ROLES = {
  admin: ['Instructor', 'http://purl.imsglobal.org/vocab/lis/v2/person#Administrator'],
  instructor: ['Instructor'],
  learner: ['Learner'],
};

/** Moodle's LTI services (mod/lti/services.php): NRPS memberships and AGS line items, scores and results. */
@Controller('mod/lti/services.php')
export class LtiServicesController {
  constructor(
    private readonly emulator: PlatformEmulator,
    private readonly tokens: AccessTokens,
  ) {}

  @Get('CourseSection/:courseId/bindings/:typeId/memberships')
  memberships(@Param('courseId') courseId: string, @Param('typeId') typeId: string, @Req() request: Request, @Res() response: Response): void {
    if (!this.authorized(request, response, [NRPS_SCOPE]) || !this.knownBinding(courseId, typeId, request, response)) return;
    const { course, settings } = this.emulator;
    const body = {
      id: this.emulator.urls.memberships(course.id, typeId),
      context: { id: String(course.id), label: course.shortname, title: course.fullname },
      members: settings.users.map((user) => ({
        status: 'Active',
        roles: MEMBERSHIP_ROLES[user.role],
        user_id: user.id,
        lis_person_sourcedid: '',
        name: `${user.firstname} ${user.lastname}`,
        given_name: user.firstname,
        family_name: user.lastname,
        email: user.email,
        ext_user_username: user.username,
      })),
    };
    this.sendJson(response, 200, CONTENT_TYPES.memberships, body);
  }

  @Get(':courseId/lineitems')
  lineItems(@Param('courseId') courseId: string, @Query('type_id') typeId: string, @Req() request: Request, @Res() response: Response): void {
    if (!this.authorized(request, response, [LINEITEM_SCOPE, LINEITEM_READONLY_SCOPE]) || !this.knownBinding(courseId, typeId, request, response)) return;
    const items = this.emulator.activities
      .filter((activity) => activity.lineItem && activity.deploymentId === typeId)
      .map((activity) => this.lineItemJson(activity, typeId));
    this.sendJson(response, 200, CONTENT_TYPES.lineItems, items);
  }

  @Get(':courseId/lineitems/:itemId/lineitem')
  lineItem(@Param() params: { courseId: string; itemId: string }, @Query('type_id') typeId: string, @Req() request: Request, @Res() response: Response): void {
    if (!this.authorized(request, response, [LINEITEM_SCOPE, LINEITEM_READONLY_SCOPE]) || !this.knownBinding(params.courseId, typeId, request, response)) return;
    const activity = this.findLineItemActivity(params.itemId, typeId, request, response);
    if (activity) this.sendJson(response, 200, CONTENT_TYPES.lineItem, this.lineItemJson(activity, typeId));
  }

  @Get(':courseId/lineitems/:itemId/lineitem/results')
  results(@Param() params: { courseId: string; itemId: string }, @Query('type_id') typeId: string, @Req() request: Request, @Res() response: Response): void {
    if (!this.authorized(request, response, [RESULT_READONLY_SCOPE]) || !this.knownBinding(params.courseId, typeId, request, response)) return;
    const activity = this.findLineItemActivity(params.itemId, typeId, request, response);
    if (!activity) return;
    const lineItem = activity.lineItem as EmulatorLineItem;
    const latest = new Map<string, EmulatorScore>();
    for (const score of this.emulator.scores) if (score.lineItemId === lineItem.id) latest.set(score.userId, score);
    const resultsUrl = this.emulator.urls.results(this.emulator.course.id, lineItem.id, typeId);
    const body = [...latest.values()]
      .filter((score) => score.scoreGiven !== null)
      .map((score) => ({
        id: `${resultsUrl}&user_id=${score.userId}`,
        userId: score.userId,
        resultScore: (score.scoreGiven! / score.scoreMaximum) * lineItem.scoreMaximum,
        resultMaximum: lineItem.scoreMaximum,
        ...(score.comment !== undefined ? { comment: score.comment } : {}),
        scoreOf: this.emulator.urls.lineItem(this.emulator.course.id, lineItem.id, typeId),
        timestamp: new Date(score.timestamp).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      }));
    this.sendJson(response, 200, CONTENT_TYPES.results, body);
  }

  @Post(':courseId/lineitems/:itemId/lineitem/scores')
  score(
    @Param() params: { courseId: string; itemId: string },
    @Query('type_id') typeId: string,
    @Headers('content-type') contentType: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    if (!this.authorized(request, response, [SCORE_SCOPE]) || !this.knownBinding(params.courseId, typeId, request, response)) return;
    if ((contentType ?? '').split(';')[0].trim() !== 'application/vnd.ims.lis.v1.score+json') {
      this.sendError(request, response, 400, 'Bad Request');
      return;
    }
    const activity = this.findLineItemActivity(params.itemId, typeId, request, response);
    if (!activity) return;
    const lineItemId = (activity.lineItem as EmulatorLineItem).id;
    const score = parseScore(typeof request.body === 'string' ? request.body : '');
    if (!score || !this.isGradable(score.userId)) {
      this.sendError(request, response, 400, 'Incorrect score received');
      return;
    }
    const previous = this.emulator.scores.filter((earlier) => earlier.lineItemId === lineItemId && earlier.userId === score.userId).at(-1);
    if (previous && Date.parse(previous.timestamp) >= Date.parse(score.timestamp)) {
      this.sendError(request, response, 409, `Refusing score with an earlier timestamp for item ${lineItemId} and user ${score.userId}`);
      return;
    }
    this.emulator.scores.push({ ...score, lineItemId });
    response.status(200).set('content-type', CONTENT_TYPES.score).end();
  }

  /** Only users enrolled with a graded role (students) can be graded: Moodle answers 400 for anyone else. */
  private isGradable(userId: string): boolean {
    return this.emulator.settings.users.some((user) => user.id === userId && user.role === 'learner');
  }

  private lineItemJson(activity: EmulatorActivity, typeId: string) {
    const lineItem = activity.lineItem as EmulatorLineItem;
    return {
      id: this.emulator.urls.lineItem(this.emulator.course.id, lineItem.id, typeId),
      label: activity.name,
      scoreMaximum: lineItem.scoreMaximum,
      resourceId: '',
      tag: '',
      resourceLinkId: String(activity.instanceId),
      ltiLinkId: String(activity.instanceId),
    };
  }

  private findLineItemActivity(itemId: string, typeId: string, request: Request, response: Response): EmulatorActivity | undefined {
    const activity = this.emulator.activities.find(
      (candidate) => candidate.lineItem && candidate.lineItem.id === Number(itemId) && candidate.deploymentId === typeId,
    );
    if (!activity) this.sendError(request, response, 404, `Not Found: Grade item ${itemId} doesn't exist.`);
    return activity;
  }

  private knownBinding(courseId: string, typeId: string, request: Request, response: Response): boolean {
    const known = Number(courseId) === this.emulator.course.id && this.emulator.hasDeployment(typeId ?? '');
    if (!known) this.sendError(request, response, 404, 'Not Found');
    return known;
  }

  private authorized(request: Request, response: Response, anyOfScopes: string[]): boolean {
    const allowed = anyOfScopes.some((scope) => this.tokens.allows(request.headers.authorization, scope));
    if (!allowed) this.sendError(request, response, 401, 'Unauthorized');
    return allowed;
  }

  private sendJson(response: Response, status: number, contentType: string, body: unknown): void {
    response.status(status).set('content-type', contentType).send(JSON.stringify(body));
  }

  /** Moodle 4.5+ describes a failed service request in a JSON body. */
  private sendError(request: Request, response: Response, status: number, reason: string): void {
    this.sendJson(response, status, 'application/json; charset=utf-8', {
      status,
      reason,
      request: {
        method: request.method,
        url: request.originalUrl,
        accept: request.headers.accept ?? '',
        contentType: request.headers['content-type'] ?? '',
      },
    });
  }
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Moodle's checks on a score: userId, an ISO 8601 timestamp, activityProgress and gradingProgress
 * are required; scoreGiven and scoreMaximum must be numbers, and scoreMaximum comes with scoreGiven.
 * A scoreGiven that is not FullyGraded is dropped, as Moodle does.
 */
function parseScore(body: string): Omit<EmulatorScore, 'lineItemId'> | undefined {
  let score: Record<string, unknown>;
  try {
    score = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!score || typeof score !== 'object') return undefined;
  const { userId, timestamp, activityProgress, gradingProgress, scoreGiven, scoreMaximum, comment } = score;
  const isNumber = (value: unknown) => typeof value === 'number' && Number.isFinite(value);
  if (
    (typeof userId !== 'string' && typeof userId !== 'number') ||
    typeof timestamp !== 'string' ||
    !ISO_8601.test(timestamp) ||
    Number.isNaN(Date.parse(timestamp)) ||
    typeof activityProgress !== 'string' ||
    typeof gradingProgress !== 'string' ||
    (scoreGiven !== undefined && !isNumber(scoreGiven)) ||
    (scoreGiven !== undefined && scoreMaximum === undefined) ||
    (scoreMaximum !== undefined && !isNumber(scoreMaximum))
  ) {
    return undefined;
  }
  return {
    userId: String(userId),
    timestamp,
    activityProgress,
    gradingProgress,
    scoreGiven: scoreGiven !== undefined && gradingProgress === 'FullyGraded' ? (scoreGiven as number) : null,
    scoreMaximum: (scoreMaximum as number | undefined) ?? 1,
    ...(typeof comment === 'string' ? { comment } : {}),
  };
}
