import { useEffect, useId, useState, type ReactNode } from 'react';
import { SectionBoundary } from '@/components/section-boundary';
import { useT } from '@/lib/i18n/i18n';
import { useFileSelection } from '@/stores/file-selection';
import { useMyCourses } from '../api/get-courses';
import type { Course } from '../types';
import { CoursePicker } from './course-picker';
import { FileTable } from './file-table';

interface TransferConsoleProps {
  /** The Moodle course the launch came from (the LTI context id), preselected. */
  launchCourse: Course | null;
  /** What acts on the course's selection, shown below its files and inside the same boundary. */
  children?: (courseId: number) => ReactNode;
}

/** Pick a course, then its files; the picked files stay in the shared file selection. */
export function TransferConsole({ launchCourse, children }: TransferConsoleProps) {
  const t = useT();
  const headingId = useId();
  const courses = useMyCourses();
  const selection = useFileSelection();
  const initial = courses.find((course) => course.id === launchCourse?.id) ?? launchCourse ?? courses[0] ?? null;
  const courseId = selection.courseId ?? initial?.id ?? null;
  const selected = courses.find((course) => course.id === courseId) ?? (initial?.id === courseId ? initial : null);

  const { chooseCourse } = selection;
  useEffect(() => {
    if (selection.courseId === null && initial) chooseCourse(initial.id);
  }, [selection.courseId, initial, chooseCourse]);

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('files.heading')}</h2>
      <CoursePickerWithMemory courses={courses} selectedId={courseId} fallback={selected} onSelect={(course) => chooseCourse(course.id)} />
      {courseId !== null && (
        <SectionBoundary key={courseId}>
          <FileTable courseId={courseId} />
          {children?.(courseId)}
        </SectionBoundary>
      )}
    </section>
  );
}

/** Remembers courses chosen from a search, so the course select can still show their names. */
function CoursePickerWithMemory({
  courses,
  selectedId,
  fallback,
  onSelect,
}: {
  courses: readonly Course[];
  selectedId: number | null;
  fallback: Course | null;
  onSelect: (course: Course) => void;
}) {
  const [found, setFound] = useState<Course[]>([]);
  const selected = fallback ?? found.find((course) => course.id === selectedId) ?? null;
  return (
    <CoursePicker
      courses={courses}
      selected={selected}
      onSelect={(course) => {
        if (!courses.some((known) => known.id === course.id)) {
          setFound((current) => [course, ...current.filter((known) => known.id !== course.id)]);
        }
        onSelect(course);
      }}
    />
  );
}
