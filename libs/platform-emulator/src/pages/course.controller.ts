import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PlatformEmulator } from '../platform-emulator';
import { currentSession } from '../sessions/current-session';
import { renderCoursePage, renderErrorPage } from './moodle-pages';

type CourseQuery = Partial<Record<'id' | 'cmid' | 'selectcontent', string>>;

/**
 * The course page: the activity list and one activity embedded the way Moodle embeds an external
 * tool (`iframe#contentframe` → launch.php). `cmid` picks the activity (default: the first resource
 * link); `selectcontent=<type id>` shows the tool's content selection (deep linking) instead.
 */
@Controller('course')
export class CourseController {
  constructor(private readonly emulator: PlatformEmulator) {}

  @Get('view.php')
  view(@Query() query: CourseQuery, @Req() request: Request, @Res() response: Response): void {
    const session = currentSession(request, this.emulator);
    if (!session) {
      response.redirect(303, `/login/index.php?wantsurl=${encodeURIComponent(request.originalUrl)}`);
      return;
    }
    const { course, activities } = this.emulator;
    if (Number(query.id) !== course.id) {
      response.status(404).type('html').send(renderErrorPage("Can't find data record in database table course."));
      return;
    }
    const user = this.emulator.findUser(session.userId)!;
    const canAddContent = user.role !== 'learner';
    const deploymentId = this.emulator.settings.deployments[0].id;

    let frameSrc: string | null = null;
    let frameTitle = '';
    if (query.selectcontent !== undefined && canAddContent) {
      const typeId = this.emulator.hasDeployment(query.selectcontent) ? query.selectcontent : deploymentId;
      frameSrc = `/mod/lti/contentitem.php?course=${course.id}&id=${encodeURIComponent(typeId)}&title=&text=`;
      frameTitle = 'Select content';
    } else {
      const shown =
        activities.find((activity) => activity.cmid === Number(query.cmid)) ??
        activities.find((activity) => activity.kind !== 'deep-linking');
      if (shown) {
        frameSrc = `/mod/lti/launch.php?id=${shown.cmid}`;
        frameTitle = shown.name;
      }
    }
    response.type('html').send(
      renderCoursePage({ course, user, sesskey: session.sesskey, activities, frameSrc, frameTitle, canAddContent, deploymentId }),
    );
  }
}
