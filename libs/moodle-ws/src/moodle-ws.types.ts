/** A Moodle site and the calling user, as core_webservice_get_site_info answers (the part Ferry reads). */
export interface MoodleSiteInfo {
  sitename: string;
  username: string;
  firstname: string;
  lastname: string;
  fullname: string;
  lang: string;
  userid: number;
  siteurl: string;
  userpictureurl?: string;
  functions: Array<{ name: string; version: string }>;
  downloadfiles: number;
  uploadfiles: number;
  release: string;
  version: string;
  userissiteadmin?: boolean;
  siteid?: number;
  theme?: string;
}

/** One entry of core_enrol_get_users_courses. */
export interface MoodleEnrolledCourse {
  id: number;
  shortname: string;
  fullname: string;
  displayname?: string;
  idnumber?: string;
  visible: number;
  summary?: string;
  format?: string;
  category?: number;
  startdate?: number;
  enddate?: number;
  hidden?: boolean;
  timemodified?: number;
}

/** The public course structure shared by core_course_search_courses and core_course_get_courses_by_field. */
export interface MoodleCourse {
  id: number;
  fullname: string;
  displayname: string;
  shortname: string;
  categoryid: number;
  categoryname: string;
  summary: string;
  summaryformat: number;
  visible?: number;
  idnumber?: string;
  format?: string;
  timemodified?: number;
}

export interface MoodleWarning {
  item?: string;
  itemid?: number;
  warningcode: string;
  message: string;
}

export interface MoodleCourseSearchResult {
  total: number;
  courses: MoodleCourse[];
  warnings?: MoodleWarning[];
}

export interface MoodleCoursesByField {
  courses: MoodleCourse[];
  warnings?: MoodleWarning[];
}

export type MoodleCourseField = 'id' | 'ids' | 'shortname' | 'idnumber' | 'category' | 'sectionid';

/** One file (or link, or inline content) of a module, as core_course_get_contents lists it. */
export interface MoodleModuleContent {
  type: 'file' | 'url' | 'content';
  filename: string;
  filepath: string | null;
  filesize: number;
  fileurl?: string;
  content?: string;
  timecreated: number | null;
  timemodified: number;
  sortorder: number | null;
  mimetype?: string;
  isexternalfile?: boolean;
  repositorytype?: string;
  userid: number | null;
  author: string | null;
  license: string | null;
}

export interface MoodleModule {
  id: number;
  url?: string;
  name: string;
  instance: number;
  contextid: number;
  visible: number;
  uservisible: boolean;
  visibleoncoursepage: number;
  modicon: string;
  modname: string;
  modplural: string;
  indent: number;
  downloadcontent?: number;
  contents?: MoodleModuleContent[];
  contentsinfo?: {
    filescount: number;
    filessize: number;
    lastmodified: number;
    mimetypes: string[];
    repositorytype?: string;
  };
}

export interface MoodleCourseSection {
  id: number;
  name: string;
  visible: number;
  summary: string;
  summaryformat: number;
  section: number;
  hiddenbynumsections: number;
  uservisible: boolean;
  modules: MoodleModule[];
}

/** The filters core_course_get_contents accepts as `options[i][name|value]`. */
export interface MoodleCourseContentsOptions {
  excludemodules?: boolean;
  excludecontents?: boolean;
  includestealthmodules?: boolean;
  sectionid?: number;
  sectionnumber?: number;
  cmid?: number;
  modname?: string;
  modid?: number;
}

/** What Moodle's REST server answers instead of a result (always with HTTP 200). */
export interface MoodleExceptionBody {
  exception: string;
  errorcode: string;
  message: string;
  debuginfo?: string;
}
