import { useId, useState } from 'react';
import { useT } from '@/lib/i18n/i18n';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { useCourseSearch } from '../api/get-courses';
import type { Course } from '../types';

export const courseSearchDelayMs = 300;
const minimumSearchLength = 2;

interface CoursePickerProps {
  /** The admin's courses, the launch's first. */
  courses: readonly Course[];
  selected: Course | null;
  onSelect: (course: Course) => void;
}

function courseLabel(course: Course) {
  return course.shortname && course.shortname !== course.fullname ? `${course.fullname} (${course.shortname})` : course.fullname;
}

/** Which course's files to list: one of the admin's courses, or any course Moodle finds by name. */
export function CoursePicker({ courses, selected, onSelect }: CoursePickerProps) {
  const t = useT();
  const id = useId();
  const [term, setTerm] = useState('');
  const settled = useDebouncedValue(term.trim(), courseSearchDelayMs);
  const search = useCourseSearch(settled.length >= minimumSearchLength ? settled : '');
  const searching = settled.length >= minimumSearchLength;
  const options = selected && !courses.some((course) => course.id === selected.id) ? [selected, ...courses] : courses;

  const choose = (course: Course) => {
    onSelect(course);
    setTerm('');
  };

  return (
    <div className="course-picker">
      <div className="field">
        <label htmlFor={`${id}-course`} className="field__label">
          {t('files.course')}
        </label>
        {options.length > 0 ? (
          <select
            id={`${id}-course`}
            value={selected?.id ?? ''}
            onChange={(event) => {
              const course = options.find((option) => option.id === Number(event.target.value));
              if (course) onSelect(course);
            }}
          >
            {options.map((course) => (
              <option key={course.id} value={course.id}>
                {courseLabel(course)}
              </option>
            ))}
          </select>
        ) : (
          <p id={`${id}-course`} className="muted">
            {t('files.noCourses')}
          </p>
        )}
      </div>

      <div className="field">
        <label htmlFor={`${id}-search`} className="field__label">
          {t('files.courseSearch')}
        </label>
        <p id={`${id}-search-hint`} className="field__hint">
          {t('files.courseSearch.hint')}
        </p>
        <input
          id={`${id}-search`}
          type="search"
          autoComplete="off"
          aria-describedby={`${id}-search-hint`}
          value={term}
          onChange={(event) => setTerm(event.target.value)}
        />
      </div>

      <div role="status" className="course-picker__status">
        {searching && search.isFetching && <p className="muted">{t('files.courseSearch.searching')}</p>}
        {searching && search.isError && <p className="notice notice--error">{t('files.courseSearch.failed')}</p>}
        {searching && search.isSuccess && !search.isPlaceholderData && search.data.length === 0 && (
          <p className="muted">{t('files.courseSearch.none', { search: settled })}</p>
        )}
      </div>
      {searching && search.data && search.data.length > 0 && (
        <ul className="course-results" aria-label={t('files.courseSearch.results')}>
          {search.data.map((course) => (
            <li key={course.id}>
              <button type="button" className="link-button" onClick={() => choose(course)}>
                {courseLabel(course)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
