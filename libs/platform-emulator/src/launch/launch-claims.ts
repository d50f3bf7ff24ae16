import { createHash, createHmac } from 'node:crypto';
import { SITE } from '../emulator-settings';
import type { EmulatorActivity, EmulatorCourse, EmulatorRole, EmulatorUser, LtiMessageType } from '../platform-emulator.types';
import { moodleUrls } from './moodle-urls';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim';
const LIS = 'http://purl.imsglobal.org/vocab/lis/v2';

export const AGS_SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
];

export const LTI_ROLES: Record<EmulatorRole, string[]> = {
  admin: [`${LIS}/institution/person#Administrator`, `${LIS}/membership#Instructor`, `${LIS}/system/person#Administrator`],
  instructor: [`${LIS}/membership#Instructor`],
  learner: [`${LIS}/membership#Learner`],
};

/** The captured tool type's own custom parameters, sent with every launch after the activity's. */
function toolTypeCustom(course: EmulatorCourse): Record<string, string> {
  return { transfer_course: '', course_shortname: course.shortname };
}

export interface LaunchClaimsContext {
  /** The site URL (Moodle's wwwroot): base of every endpoint in the claims. */
  siteUrl: string;
  issuer: string;
  clientId: string;
  course: EmulatorCourse;
  user: EmulatorUser;
  nonce: string;
  messageType: LtiMessageType;
  deploymentId: string;
  /** The tool URL Moodle launches: launch URL, or the content selection URL for deep linking. */
  targetLinkUri: string;
  /** Resource link launches only. */
  activity?: EmulatorActivity;
  /** Deep linking only: the title and text the instructor typed. */
  deepLinking?: { title: string; text: string };
  audience?: string | string[];
  sesskey: string;
  /** Signs lis_result_sourcedid, as Moodle does with its own secret. */
  outcomeSecret: string;
  now?: Date;
}

/**
 * The claims Moodle 4.x/5.x puts in an id_token, in its order (see the decoded captures in
 * fixtures/). Resource link and deep linking requests differ: deep linking has no resource link,
 * basic outcome, return URL, link settings URL or line item, and adds deep_linking_settings.
 */
export function buildLaunchClaims(context: LaunchClaimsContext): Record<string, unknown> {
  const { siteUrl, course, user, activity, deploymentId } = context;
  const urls = moodleUrls(siteUrl);
  const isDeepLinking = context.messageType === 'LtiDeepLinkingRequest';
  const iat = Math.floor((context.now ?? new Date()).getTime() / 1000);

  const claims: Record<string, unknown> = {
    nonce: context.nonce,
    iat,
    exp: iat + 60,
    iss: context.issuer,
    aud: context.audience ?? context.clientId,
    [`${LTI}/deployment_id`]: deploymentId,
    [`${LTI}/target_link_uri`]: context.targetLinkUri,
    sub: user.id,
    [`${LTI}/lis`]: { person_sourcedid: '', course_section_sourcedid: '' },
    [`${LTI}/roles`]: LTI_ROLES[user.role],
    [`${LTI}/context`]: { id: String(course.id), label: course.shortname, title: course.fullname, type: ['CourseSection'] },
    [`${LTI}/message_type`]: context.messageType,
  };

  if (!isDeepLinking && activity) {
    claims[`${LTI}/resource_link`] = {
      title: activity.name,
      description: activity.description ?? '',
      id: String(activity.instanceId),
    };
    if (activity.lineItem) {
      claims['https://purl.imsglobal.org/spec/lti-bo/claim/basicoutcome'] = {
        lis_result_sourcedid: resultSourcedId(activity, user, deploymentId, context.outcomeSecret),
        lis_outcome_service_url: `${siteUrl}/mod/lti/service.php`,
      };
    }
  }

  Object.assign(claims, {
    given_name: user.firstname,
    family_name: user.lastname,
    name: `${user.firstname} ${user.lastname}`,
    [`${LTI}/ext`]: { user_username: user.username, lms: 'moodle-2' },
    email: user.email,
    [`${LTI}/launch_presentation`]: isDeepLinking
      ? { locale: 'en' }
      : launchPresentation(siteUrl, course, activity, context.sesskey),
    [`${LTI}/tool_platform`]: {
      product_family_code: SITE.productFamilyCode,
      version: SITE.version,
      guid: createHash('md5').update(context.issuer).digest('hex'),
      name: SITE.shortName,
      description: SITE.fullName,
    },
    [`${LTI}/version`]: '1.3.0',
    [`${LTI}/custom`]: {
      ...(isDeepLinking ? {} : (activity?.custom ?? {})),
      ...toolTypeCustom(course),
      context_memberships_url: urls.memberships(course.id, deploymentId),
      system_setting_url: `${siteUrl}/mod/lti/services.php/tool/${deploymentId}/custom`,
      context_setting_url: `${siteUrl}/mod/lti/services.php/CourseSection/${course.id}/bindings/tool/${deploymentId}/custom`,
      // Moodle sends the placeholder unsubstituted.
      ...(isDeepLinking ? {} : { link_setting_url: `${siteUrl}/mod/lti/services.php/links/{link_id}/custom` }),
    },
    'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
      scope: AGS_SCOPES,
      lineitems: urls.lineItems(course.id, deploymentId),
      ...(!isDeepLinking && activity?.lineItem
        ? { lineitem: urls.lineItem(course.id, activity.lineItem.id, deploymentId) }
        : {}),
    },
    'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': {
      context_memberships_url: urls.memberships(course.id, deploymentId),
      service_versions: ['1.0', '2.0'],
    },
  });

  if (isDeepLinking) {
    const { title, text } = context.deepLinking ?? { title: '', text: '' };
    claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] = {
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['frame', 'iframe', 'window'],
      accept_copy_advice: false,
      accept_multiple: true,
      accept_unsigned: false,
      auto_create: false,
      can_confirm: false,
      deep_link_return_url: urls.contentItemReturn(course.id, deploymentId, context.sesskey),
      // Moodle leaves out an empty title or text.
      ...(title ? { title } : {}),
      ...(text ? { text } : {}),
    };
  }
  return claims;
}

/** Moodle's launch containers: 2 embed, 3 embed without blocks, 4 new window. */
function launchPresentation(siteUrl: string, course: EmulatorCourse, activity: EmulatorActivity | undefined, sesskey: string) {
  const inWindow = activity?.launchContainer === 'window';
  const returnUrl = new URL(`${siteUrl}/mod/lti/return.php`);
  returnUrl.search = new URLSearchParams({
    course: String(course.id),
    launch_container: inWindow ? '4' : '3',
    instanceid: String(activity?.instanceId ?? 0),
    sesskey,
  }).toString();
  return { locale: 'en', document_target: inWindow ? 'window' : 'iframe', return_url: returnUrl.toString() };
}

function resultSourcedId(activity: EmulatorActivity, user: EmulatorUser, typeId: string, secret: string): string {
  const data = {
    instanceid: String(activity.instanceId),
    userid: user.id,
    typeid: typeId,
    launchid: Math.floor(Math.random() * 2 ** 31),
  };
  const hash = createHmac('sha256', secret).update(JSON.stringify(data)).digest('hex');
  return JSON.stringify({ data, hash });
}
