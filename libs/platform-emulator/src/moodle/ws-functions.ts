import { createHash } from 'node:crypto';
import { SITE } from '../emulator-settings';
import type { EmulatorActivity, EmulatorUser } from '../platform-emulator.types';
import { pluginfileUrl, type CourseModel, type CourseModuleModel, type ModuleEntry } from './course-model';
import { GeneratedContent } from './generated-content';
import type { MoodleSite, WsToken } from './moodle-site';

/** Moodle's theme revision in image URLs, as captured. */
const THEME_REV = '1795351071';
const VERSION = SITE.version;

/** What the REST server answers instead of a result, always with HTTP 200. */
export class MoodleWsException extends Error {
  constructor(
    readonly exception: string,
    readonly errorcode: string,
    message: string,
  ) {
    super(message);
  }

  toJSON() {
    return { exception: this.exception, errorcode: this.errorcode, message: this.message };
  }
}

export const invalidTokenException = () => new MoodleWsException('moodle_exception', 'invalidtoken', 'Invalid token - token not found');
/** Moodle sends the reason (function not in the service, …) only as debuginfo, which needs debugging on. */
export const accessException = () => new MoodleWsException('webservice_access_exception', 'accessexception', 'Access control exception');
export const maintenanceException = () =>
  new MoodleWsException('moodle_exception', 'sitemaintenance', 'The site is undergoing maintenance and is currently not available');
/** As captured for a course id that does not exist. */
const missingRecordException = () => new MoodleWsException('dml_missing_record_exception', 'invalidrecordunknown', "Can't find data record in database.");
const invalidParameter = (detail: string) =>
  new MoodleWsException('invalid_parameter_exception', 'invalidparameter', `Invalid parameter value detected (${detail})`);

export interface WsCall {
  token: WsToken;
  user: EmulatorUser;
  /** PHP-style form fields: `options[0][name]` etc. */
  params: Record<string, string>;
}

/** The REST functions the emulator implements, answering with the captured shapes. */
export class MoodleWsFunctions {
  constructor(
    private readonly site: MoodleSite,
    private readonly activities: () => EmulatorActivity[],
  ) {}

  readonly implemented: Record<string, (call: WsCall) => unknown> = {
    core_webservice_get_site_info: (call) => this.siteInfo(call),
    core_enrol_get_users_courses: (call) => this.usersCourses(call),
    core_course_search_courses: (call) => this.searchCourses(call),
    core_course_get_courses_by_field: (call) => this.coursesByField(call),
    core_course_get_contents: (call) => this.courseContents(call),
  };

  private siteInfo({ token, user }: WsCall) {
    const url = this.site.url;
    return {
      sitename: SITE.fullName,
      username: user.username,
      firstname: user.firstname,
      lastname: user.lastname,
      fullname: `${user.firstname} ${user.lastname}`,
      lang: 'en',
      userid: Number(user.id),
      siteurl: url,
      userpictureurl: `${url}/theme/image.php/boost/core/${THEME_REV}/u/f1`,
      functions: token.functions.map((name) => ({ name, version: VERSION })),
      downloadfiles: 1,
      uploadfiles: 1,
      release: '5.0 (Build: 20250414)',
      version: VERSION,
      mobilecssurl: '',
      advancedfeatures: ADVANCED_FEATURES,
      usercanmanageownfiles: true,
      userquota: 0,
      usermaxuploadfilesize: -1,
      userhomepage: 1,
      userprivateaccesskey: createHash('md5').update(`privatekey:${user.id}`).digest('hex'),
      siteid: 1,
      sitecalendartype: 'gregorian',
      usercalendartype: 'gregorian',
      userissiteadmin: this.site.isSiteAdmin(user),
      theme: 'boost',
      limitconcurrentlogins: 0,
      policyagreed: 0,
    };
  }

  /** Another user's courses only where the caller may see them too (enrol_get_users_courses + validate_context). */
  private usersCourses({ user, params }: WsCall) {
    const userId = params.userid;
    if (userId === undefined || !/^\d+$/.test(userId)) throw invalidParameter('userid');
    const url = this.site.url;
    return [...this.site.courses.values()]
      .filter((course) => course.enrolled.has(userId) && this.site.canAccess(user, course))
      .map((course) => ({
        id: course.course.id,
        shortname: course.course.shortname,
        fullname: course.course.fullname,
        displayname: course.course.fullname,
        enrolledusercount: course.enrolled.size,
        idnumber: '',
        visible: 1,
        summary: course.summary,
        summaryformat: 1,
        format: 'topics',
        courseimage: `${url}/pluginfile.php/${course.contextid}/course/generated/course.svg`,
        showgrades: true,
        lang: '',
        enablecompletion: true,
        completionhascriteria: false,
        completionusertracked: true,
        category: 1,
        progress: null,
        completed: false,
        startdate: course.startdate,
        enddate: 0,
        marker: 0,
        lastaccess: null,
        isfavourite: false,
        hidden: false,
        overviewfiles: [],
        showactivitydates: false,
        showcompletionconditions: true,
        timemodified: course.timemodified,
      }));
  }

  private searchCourses({ params }: WsCall) {
    const criterion = params.criterianame;
    if (criterion !== 'search') throw invalidParameter('criterianame');
    const words = (params.criteriavalue ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const page = Number(params.page ?? 0);
    const perPage = Number(params.perpage ?? 0);
    const matches = [...this.site.courses.values()].filter((course) => {
      const text = `${course.course.fullname} ${course.course.shortname} ${course.summary}`.toLowerCase();
      return words.every((word) => text.includes(word));
    });
    const shown = perPage > 0 ? matches.slice(page * perPage, (page + 1) * perPage) : matches;
    return { total: matches.length, courses: shown.map((course) => this.publicCourse(course)), warnings: [] };
  }

  /** Only the courses the caller can access; a missing course is an empty list, not an error. */
  private coursesByField({ user, params }: WsCall) {
    const field = params.field ?? '';
    const value = params.value ?? '';
    const all = [...this.site.courses.values()];
    let matches: CourseModel[];
    switch (field) {
      case '':
        matches = all;
        break;
      case 'id':
        matches = all.filter((course) => String(course.course.id) === value);
        break;
      case 'ids': {
        const ids = new Set(value.split(',').map((id) => id.trim()));
        matches = all.filter((course) => ids.has(String(course.course.id)));
        break;
      }
      case 'shortname':
        matches = all.filter((course) => course.course.shortname === value);
        break;
      case 'idnumber':
        matches = [];
        break;
      case 'category':
        matches = value === '1' ? all : [];
        break;
      default:
        throw invalidParameter('field');
    }
    const courses = matches
      .filter((course) => this.site.canAccess(user, course))
      .map((course) => ({
        ...this.publicCourse(course),
        idnumber: '',
        format: 'topics',
        showgrades: 1,
        newsitems: 5,
        startdate: course.startdate,
        enddate: 0,
        maxbytes: 0,
        showreports: 0,
        visible: 1,
        groupmode: 0,
        groupmodeforce: 0,
        defaultgroupingid: 0,
        enablecompletion: 1,
        completionnotify: 0,
        lang: '',
        theme: '',
        marker: 0,
        legacyfiles: 0,
        calendartype: '',
        timecreated: course.timemodified,
        timemodified: course.timemodified,
        requested: 0,
        cacherev: course.timemodified,
        filters: [],
        courseformatoptions: [{ name: 'hiddensections', value: 1 }, { name: 'coursedisplay', value: 0 }],
      }));
    return { courses, warnings: [] };
  }

  private courseContents({ user, params }: WsCall) {
    const courseId = params.courseid;
    if (courseId === undefined || !/^\d+$/.test(courseId)) throw invalidParameter('courseid');
    const course = this.site.courses.get(Number(courseId));
    if (!course) throw missingRecordException();
    if (!this.site.canAccess(user, course)) {
      throw new MoodleWsException(
        'moodle_exception',
        'errorcoursecontextnotvalid',
        `You cannot execute functions in the course context (course id:${courseId}). The context error message was: Course or activity not accessible. (Not enrolled)`,
      );
    }
    const options = contentsOptions(params);
    const isLtiCourse = course.course.id === this.site.ltiCourseId;
    return course.sections
      .filter((section) => options.sectionnumber === undefined || section.section === Number(options.sectionnumber))
      .filter((section) => options.sectionid === undefined || section.id === Number(options.sectionid))
      .map((section) => {
        let modules: Array<Record<string, unknown>> = [];
        if (options.excludemodules !== '1') {
          modules = section.modules.map((module) => this.moduleJson(module, options.excludecontents === '1'));
          if (isLtiCourse && section.section === course.ltiSection) {
            modules.push(...this.activities().filter((activity) => activity.kind !== 'deep-linking').map((activity) => this.ltiModuleJson(activity)));
          }
          modules = modules
            .filter((module) => options.cmid === undefined || module.id === Number(options.cmid))
            .filter((module) => options.modname === undefined || module.modname === options.modname);
        }
        return {
          id: section.id,
          name: section.name ?? (section.section === 0 ? 'General' : 'New section'),
          visible: 1,
          summary: '',
          summaryformat: 1,
          section: section.section,
          hiddenbynumsections: 0,
          uservisible: true,
          component: null,
          itemid: null,
          modules,
        };
      });

    function contentsOptions(form: Record<string, string>): Record<string, string> {
      const found: Record<string, string> = {};
      for (let index = 0; form[`options[${index}][name]`] !== undefined; index++) {
        found[form[`options[${index}][name]`]] = form[`options[${index}][value]`] ?? '';
      }
      return found;
    }
  }

  private publicCourse(course: CourseModel) {
    return {
      id: course.course.id,
      fullname: course.course.fullname,
      displayname: course.course.fullname,
      shortname: course.course.shortname,
      courseimage: `${this.site.url}/pluginfile.php/${course.contextid}/course/generated/course.svg`,
      categoryid: 1,
      categoryname: 'Category 1',
      sortorder: 10000 + course.course.id,
      summary: course.summary,
      summaryformat: 1,
      summaryfiles: [],
      overviewfiles: [],
      showactivitydates: false,
      showcompletionconditions: true,
      contacts: [],
      enrollmentmethods: ['manual'],
    };
  }

  private moduleJson(module: CourseModuleModel, excludeContents: boolean): Record<string, unknown> {
    const url = this.site.url;
    const json: Record<string, unknown> = {
      id: module.id,
      url: `${url}/mod/${module.modname}/view.php?id=${module.id}`,
      name: module.name,
      instance: module.instance,
      contextid: module.contextid,
      visible: 1,
      uservisible: true,
      visibleoncoursepage: 1,
      modicon: this.modicon(module),
      modname: module.modname,
      purpose: 'content',
      branded: false,
      modplural: MODPLURALS[module.modname],
      availability: null,
      indent: 0,
      onclick: '',
      afterlink: null,
      ...(module.modname === 'resource' ? { activitybadge: [] } : {}),
      customdata: module.modname === 'resource' ? RESOURCE_CUSTOMDATA : '""',
      noviewlink: false,
      completion: 0,
      downloadcontent: 1,
      dates: [],
      groupmode: 0,
    };
    if (excludeContents) return json;
    const contents = module.entries.map((entry) => this.contentJson(entry));
    json.contents = contents;
    const mimetypes = [...new Set(contents.map((content) => content.mimetype).filter((type): type is string => typeof type === 'string'))];
    json.contentsinfo = {
      filescount: contents.length,
      filessize: contents.reduce((total, content) => total + Number(content.filesize), 0),
      lastmodified: Math.max(...contents.map((content) => Number(content.timemodified))),
      mimetypes,
      // Moodle takes the repository type of the first (main) entry only.
      repositorytype: typeof contents[0]?.repositorytype === 'string' ? contents[0].repositorytype : '',
    };
    return json;
  }

  private contentJson(entry: ModuleEntry): Record<string, unknown> {
    switch (entry.type) {
      case 'url':
        return {
          type: 'url',
          filename: entry.name,
          filepath: null,
          filesize: 0,
          fileurl: entry.externalurl,
          timecreated: null,
          timemodified: entry.timemodified,
          sortorder: null,
          userid: null,
          author: null,
          license: null,
        };
      case 'content':
        return {
          type: 'content',
          filename: entry.filename,
          filepath: '/',
          filesize: 0,
          fileurl: null,
          content: entry.content,
          timecreated: entry.timecreated,
          timemodified: entry.timemodified,
          sortorder: 0,
          userid: null,
          author: null,
          license: null,
        };
      case 'file': {
        const { file } = entry;
        const size = entry.listedSize ?? (file.body instanceof GeneratedContent ? file.body.size : 0);
        if (file.component === 'mod_page') {
          return {
            type: 'file',
            filename: file.filename,
            filepath: file.filepath,
            filesize: size,
            fileurl: pluginfileUrl(this.site.url, file),
            timecreated: null,
            timemodified: file.timemodified,
            sortorder: 1,
            userid: null,
            author: null,
            license: null,
          };
        }
        return {
          type: 'file',
          filename: file.filename,
          filepath: file.filepath,
          filesize: size,
          fileurl: pluginfileUrl(this.site.url, file),
          timecreated: file.timecreated,
          timemodified: file.timemodified,
          sortorder: file.sortorder,
          mimetype: file.mimetype,
          isexternalfile: file.isexternalfile,
          ...(file.repositorytype ? { repositorytype: file.repositorytype } : {}),
          userid: null,
          author: null,
          license: null,
        };
      }
    }
  }

  private ltiModuleJson(activity: EmulatorActivity): Record<string, unknown> {
    const url = this.site.url;
    return {
      id: activity.cmid,
      url: `${url}/mod/lti/view.php?id=${activity.cmid}`,
      name: activity.name,
      instance: activity.instanceId,
      contextid: 1000 + activity.cmid,
      visible: 1,
      uservisible: true,
      visibleoncoursepage: 1,
      modicon: `${url}/theme/image.php/boost/lti/${THEME_REV}/monologo?filtericon=1`,
      modname: 'lti',
      purpose: 'other',
      branded: false,
      modplural: 'External tools',
      availability: null,
      indent: 0,
      onclick: activity.launchContainer === 'window' ? `window.open('${url}/mod/lti/launch.php?id=${activity.cmid}', 'lti-${activity.cmid}'); return false;` : '',
      afterlink: null,
      customdata: '""',
      noviewlink: false,
      completion: 0,
      downloadcontent: 1,
      dates: [],
      groupmode: 0,
    };
  }

  private modicon(module: CourseModuleModel): string {
    const url = this.site.url;
    if (module.modname !== 'resource') return `${url}/theme/image.php/boost/${module.modname}/${THEME_REV}/monologo?filtericon=1`;
    const main = module.entries[0];
    const mimetype = main?.type === 'file' ? main.file.mimetype : '';
    return `${url}/theme/image.php/boost/core/${THEME_REV}/f/${fileIcon(mimetype)}?filtericon=1`;
  }
}

const MODPLURALS: Record<CourseModuleModel['modname'], string> = {
  resource: 'Files',
  folder: 'Folders',
  page: 'Pages',
  url: 'URLs',
  book: 'Books',
};

const RESOURCE_CUSTOMDATA = JSON.stringify({ filtericon: true, displayoptions: 'a:1:{s:10:"printintro";i:0;}', display: 5 });

/** Moodle's file icon names (core/f/*) by mimetype. */
function fileIcon(mimetype: string): string {
  if (mimetype === 'application/pdf') return 'pdf';
  if (mimetype.startsWith('image/')) return 'image';
  if (mimetype.startsWith('video/')) return 'video';
  if (mimetype === 'text/plain') return 'text';
  if (mimetype === 'text/csv' || mimetype.includes('spreadsheet')) return 'spreadsheet';
  if (mimetype.includes('presentation')) return 'powerpoint';
  if (mimetype.includes('wordprocessing')) return 'document';
  if (mimetype === 'application/zip') return 'archive';
  return 'unknown';
}

const ADVANCED_FEATURES = [
  { name: 'usecomments', value: 1 },
  { name: 'usetags', value: 1 },
  { name: 'enablenotes', value: 1 },
  { name: 'messaging', value: 1 },
  { name: 'enableblogs', value: 1 },
  { name: 'enablecompletion', value: 1 },
  { name: 'enablebadges', value: 1 },
  { name: 'messagingallusers', value: 0 },
  { name: 'enablecustomreports', value: 1 },
  { name: 'enableglobalsearch', value: 0 },
  { name: 'mnet_dispatcher_mode', value: 0 },
  { name: 'enablecompetencies', value: 1 },
];
