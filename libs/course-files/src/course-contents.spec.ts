import { describe, expect, it } from 'vitest';
import { fixture } from '../../moodle-ws/src/fake-moodle';
import type { MoodleCourseSection, MoodleModule, MoodleModuleContent } from '@ferry/moodle-ws';
import { courseFileId, flattenCourseContents } from './course-contents';

const captured = (): MoodleCourseSection[] => JSON.parse(fixture('ws-core_course_get_contents.json'));

function section(modules: MoodleModule[], overrides: Partial<MoodleCourseSection> = {}): MoodleCourseSection {
  return { id: 7, name: 'Week 1', visible: 1, summary: '', summaryformat: 1, section: 1, hiddenbynumsections: 0, uservisible: true, modules, ...overrides };
}

function module(modname: string, contents: Array<Partial<MoodleModuleContent>>, overrides: Partial<MoodleModule> = {}): MoodleModule {
  return {
    id: 40,
    name: `A ${modname}`,
    instance: 1,
    contextid: 90,
    visible: 1,
    uservisible: true,
    visibleoncoursepage: 1,
    modicon: '',
    modname,
    modplural: modname,
    indent: 0,
    contents: contents.map((content) => ({
      type: 'file',
      filename: 'file.bin',
      filepath: '/',
      filesize: 10,
      fileurl: `https://moodle.example.edu/webservice/pluginfile.php/90/mod_${modname}/content/0${content.filepath ?? '/'}${content.filename ?? 'file.bin'}?forcedownload=1`,
      timecreated: 1,
      timemodified: 1700000000,
      sortorder: 0,
      mimetype: 'application/octet-stream',
      isexternalfile: false,
      userid: null,
      author: null,
      license: null,
      ...content,
    })),
    ...overrides,
  };
}

describe(flattenCourseContents.name, () => {
  it('flattens the captured Moodle 5.0 course into its three files, with section, module, path and Moodle’s fields', () => {
    const files = flattenCourseContents(captured());

    expect(files.map((file) => [file.section, file.module.modname, file.path, file.name, file.size])).toEqual([
      ['New section', 'resource', '/', 'lecture-notes.pdf', 5242880],
      ['New section', 'folder', '/', 'syllabus.txt', 51],
      ['New section', 'folder', '/', 'data.bin', 307200],
    ]);
    expect(files[0]).toMatchObject({
      sectionId: 2,
      sectionNumber: 1,
      module: { id: 1, name: 'Lecture notes', modname: 'resource' },
      mimetype: 'application/pdf',
      transferable: true,
      timemodified: 1795351177,
      fileurl: 'http://127.0.0.1:8088/webservice/pluginfile.php/12/mod_resource/content/0/lecture-notes.pdf?forcedownload=1',
    });
    expect(files.every((file) => file.reason === undefined)).toBe(true);
  });

  it('keeps every file of a folder tree, each with its folder path', () => {
    const folder = module('folder', [
      { filename: 'a.txt', filepath: '/' },
      { filename: 'b.txt', filepath: '/week 1/' },
      { filename: 'c.txt', filepath: '/week 1/extra/' },
    ]);

    expect(flattenCourseContents([section([folder])]).map((file) => `${file.path}${file.name}`)).toEqual(['/a.txt', '/week 1/b.txt', '/week 1/extra/c.txt']);
  });

  it('lists links, generated pages and repository files as not transferable, saying why', () => {
    const files = flattenCourseContents([
      section([
        module('url', [{ type: 'url', filename: 'Course website', filepath: null, filesize: 0, fileurl: 'https://example.edu/course', mimetype: undefined }], { id: 41 }),
        module('page', [{ filename: 'index.html', filesize: 0, mimetype: 'text/html' }, { filename: 'diagram.png', filesize: 500, mimetype: 'image/png' }], { id: 42 }),
        module('book', [{ type: 'content', filename: 'structure', fileurl: undefined, filesize: 0 }], { id: 43 }),
        module('resource', [{ filename: 'recording.mp4', isexternalfile: true, repositorytype: 'dropbox' }], { id: 44 }),
      ]),
    ]);

    expect(files.map((file) => [file.name, file.transferable, file.reason])).toEqual([
      ['Course website', false, 'url'],
      ['index.html', false, 'inline_content'],
      ['diagram.png', true, undefined],
      ['structure', false, 'inline_content'],
      ['recording.mp4', false, 'external_file'],
    ]);
  });

  it('gives every entry its own id, the same on every listing', () => {
    const sections = [
      section([
        module('url', [{ type: 'url', filename: 'One', fileurl: 'https://example.edu/1' }], { id: 50 }),
        module('url', [{ type: 'url', filename: 'Two', fileurl: 'https://example.edu/2' }], { id: 51 }),
        module('folder', [{ filename: 'same.txt', filepath: '/a/' }, { filename: 'same.txt', filepath: '/b/' }], { id: 52 }),
      ]),
    ];
    const ids = flattenCourseContents(sections).map((file) => file.id);

    expect(new Set(ids).size).toBe(4);
    expect(flattenCourseContents(structuredClone(sections)).map((file) => file.id)).toEqual(ids);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id))).toBe(true);
  });
});

describe(courseFileId.name, () => {
  it('follows the Moodle file, not the module or section it is shown in', () => {
    const fileurl = 'https://moodle.example.edu/webservice/pluginfile.php/90/mod_folder/content/0/caf%C3%A9.pdf?forcedownload=1';
    const content = { type: 'file' as const, fileurl, filepath: '/', filename: 'café.pdf' };

    expect(courseFileId({ id: 1 }, content)).toBe(courseFileId({ id: 2 }, content));
    expect(courseFileId({ id: 1 }, { ...content, fileurl: fileurl.replace('/90/', '/91/') })).not.toBe(courseFileId({ id: 1 }, content));
  });
});
