import { memo, useCallback, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { PlainMessageKey } from '@/lib/i18n/catalogue';
import { formatBytes, formatCount, formatDateTime } from '@/lib/format';
import { useLanguage, useT } from '@/lib/i18n/i18n';
import { useFileSelection } from '@/stores/file-selection';
import { useCourseFiles } from '../api/get-course-files';
import {
  fileKinds,
  groupRows,
  sectionsOf,
  selectionTotals,
  toRows,
  type FileFilter,
  type FileKind,
  type FileRow,
  type SectionGroup,
  type SortKey,
  type SortOrder,
} from '../file-list';
import type { NotTransferableReason } from '../types';

/** Rows rendered at once; "show more" adds as many. Keeps a 5,000-file course quick to draw. */
export const filePageSize = 200;

const kindNames: Record<FileKind, PlainMessageKey> = {
  pdf: 'files.kind.pdf',
  document: 'files.kind.document',
  spreadsheet: 'files.kind.spreadsheet',
  presentation: 'files.kind.presentation',
  image: 'files.kind.image',
  audio: 'files.kind.audio',
  video: 'files.kind.video',
  archive: 'files.kind.archive',
  other: 'files.kind.other',
};

const reasonNames: Record<NotTransferableReason, PlainMessageKey> = {
  external_file: 'files.reason.external_file',
  url: 'files.reason.url',
  inline_content: 'files.reason.inline_content',
};

interface SortableColumn {
  key: Exclude<SortKey, 'position'>;
  label: PlainMessageKey;
  className?: string;
}

const sortable = {
  name: { key: 'name', label: 'files.column.name' },
  size: { key: 'size', label: 'files.column.size', className: 'file-table__number' },
  modified: { key: 'modified', label: 'files.column.modified' },
} satisfies Record<string, SortableColumn>;

/** The files of one course: grouped by section, sortable, filterable, selectable. */
export function FileTable({ courseId }: { courseId: number }) {
  const t = useT();
  const language = useLanguage();
  const id = useId();
  const { course, files, totals } = useCourseFiles(courseId);
  const rows = useMemo(() => toRows(files), [files]);
  const sections = useMemo(() => sectionsOf(rows), [rows]);
  const kinds = useMemo(() => fileKinds.filter((kind) => rows.some((row) => row.kind === kind)), [rows]);

  const [filter, setFilter] = useState<FileFilter>({ text: '', kind: '', sectionKey: '' });
  const [sort, setSort] = useState<SortOrder>({ key: 'position', direction: 'ascending' });
  // Typing stays responsive while thousands of rows are filtered behind it.
  const deferredFilter = useDeferredValue(filter);
  const groups = useMemo(() => groupRows(rows, sections, deferredFilter, sort), [rows, sections, deferredFilter, sort]);
  const matching = useMemo(() => groups.reduce((count, group) => count + group.rows.length, 0), [groups]);

  const [limit, setLimit] = useState(filePageSize);
  useEffect(() => setLimit(filePageSize), [deferredFilter, sort]);

  const selection = useFileSelection();
  const { setSelected } = selection;
  const selected = selection.courseId === courseId ? selection.fileIds : emptySet;
  const chosen = useMemo(() => selectionTotals(rows, selected), [rows, selected]);
  const toggleFile = useCallback((fileId: string, checked: boolean) => setSelected([fileId], checked), [setSelected]);

  const toggleSort = (key: SortKey) =>
    setSort((current) =>
      current.key === key
        ? { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
        : { key, direction: 'ascending' },
    );

  let remaining = limit;
  const shownGroups: Array<SectionGroup & { shown: FileRow[] }> = [];
  for (const group of groups) {
    if (remaining <= 0) break;
    const shown = group.rows.slice(0, remaining);
    remaining -= shown.length;
    shownGroups.push({ ...group, shown });
  }
  const shownCount = limit - remaining;

  return (
    <div className="file-list">
      <p>{t('files.totals', { count: formatCount(totals.count, language), size: formatBytes(totals.bytes, language) })}</p>

      {rows.length === 0 ? (
        <p>{t('files.empty')}</p>
      ) : (
        <>
          <fieldset className="fieldset file-filters">
            <legend>{t('files.filter.label')}</legend>
            <div className="field">
              <label htmlFor={`${id}-text`} className="field__label">
                {t('files.filter.text')}
              </label>
              <input
                id={`${id}-text`}
                type="search"
                autoComplete="off"
                value={filter.text}
                onChange={(event) => setFilter((current) => ({ ...current, text: event.target.value }))}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-kind`} className="field__label">
                {t('files.filter.kind')}
              </label>
              <select
                id={`${id}-kind`}
                value={filter.kind}
                onChange={(event) => setFilter((current) => ({ ...current, kind: event.target.value as FileKind | '' }))}
              >
                <option value="">{t('files.filter.kind.all')}</option>
                {kinds.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(kindNames[kind])}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-section`} className="field__label">
                {t('files.filter.section')}
              </label>
              <select
                id={`${id}-section`}
                value={filter.sectionKey}
                onChange={(event) => setFilter((current) => ({ ...current, sectionKey: event.target.value }))}
              >
                <option value="">{t('files.filter.section.all')}</option>
                {sections.map((section) => (
                  <option key={section.key} value={section.key}>
                    {section.name}
                  </option>
                ))}
              </select>
            </div>
          </fieldset>

          {groups.length === 0 ? (
            <p role="status">{t('files.noMatch')}</p>
          ) : (
            <table className="file-table">
              <caption className="visually-hidden">{t('files.caption', { course: course.fullname })}</caption>
              <thead>
                <tr>
                  <th scope="col" className="file-table__select">
                    <span className="visually-hidden">{t('files.column.select')}</span>
                  </th>
                  <SortableHeader column={sortable.name} sort={sort} onSort={toggleSort} />
                  <th scope="col">{t('files.column.module')}</th>
                  <SortableHeader column={sortable.size} sort={sort} onSort={toggleSort} />
                  <th scope="col">{t('files.column.type')}</th>
                  <SortableHeader column={sortable.modified} sort={sort} onSort={toggleSort} />
                </tr>
              </thead>
              {shownGroups.map((group) => (
                <SectionRows key={group.section.key} group={group} selected={selected} onToggle={toggleFile} onToggleSection={setSelected} />
              ))}
            </table>
          )}

          {matching > shownCount && (
            <div className="file-list__more">
              <p className="muted">
                {t('files.showing', { shown: formatCount(shownCount, language), total: formatCount(matching, language) })}
              </p>
              <button type="button" className="button button--secondary" onClick={() => setLimit((current) => current + filePageSize)}>
                {t('files.showMore', { count: formatCount(Math.min(filePageSize, matching - shownCount), language) })}
              </button>
            </div>
          )}
        </>
      )}

      <div className="selection-bar">
        <p role="status" className="selection-bar__summary">
          {chosen.count === 0
            ? t('files.selection.none')
            : t('files.selection', { count: formatCount(chosen.count, language), size: formatBytes(chosen.bytes, language) })}
        </p>
        {chosen.count > 0 && (
          <button type="button" className="button button--secondary" onClick={selection.clear}>
            {t('files.selection.clear')}
          </button>
        )}
      </div>
    </div>
  );
}

const emptySet: ReadonlySet<string> = new Set();

function SortableHeader({
  column,
  sort,
  onSort,
}: {
  column: SortableColumn;
  sort: SortOrder;
  onSort: (key: SortKey) => void;
}) {
  const t = useT();
  const active = sort.key === column.key;
  return (
    <th scope="col" aria-sort={active ? sort.direction : 'none'} className={column.className}>
      <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
        {t(column.label)}
        <span aria-hidden="true" className="sort-button__arrow">
          {active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

interface SectionRowsProps {
  group: SectionGroup & { shown: FileRow[] };
  selected: ReadonlySet<string>;
  onToggle: (fileId: string, checked: boolean) => void;
  onToggleSection: (fileIds: readonly string[], selected: boolean) => void;
}

/** A section's heading row, with "select all" over every matching file of it, shown or not yet. */
function SectionRows({ group, selected, onToggle, onToggleSection }: SectionRowsProps) {
  const t = useT();
  const language = useLanguage();
  const checkboxRef = useRef<HTMLInputElement>(null);
  const transferableIds = useMemo(() => group.rows.filter((row) => row.transferable).map((row) => row.id), [group.rows]);
  const selectedCount = transferableIds.reduce((count, fileId) => count + (selected.has(fileId) ? 1 : 0), 0);
  const all = transferableIds.length > 0 && selectedCount === transferableIds.length;
  const some = selectedCount > 0 && !all;

  useEffect(() => {
    if (checkboxRef.current) checkboxRef.current.indeterminate = some;
  }, [some]);

  return (
    <tbody>
      <tr className="file-table__section">
        <th scope="colgroup" colSpan={6}>
          <label className="section-select">
            <input
              ref={checkboxRef}
              type="checkbox"
              checked={all}
              disabled={transferableIds.length === 0}
              onChange={() => onToggleSection(transferableIds, !all)}
              aria-label={t('files.selectSection', { section: group.section.name })}
            />
            <span>{group.section.name}</span>
            <span className="muted"> ({formatCount(group.rows.length, language)})</span>
          </label>
        </th>
      </tr>
      {group.shown.map((row) => (
        <FileRowView key={row.id} row={row} selected={selected.has(row.id)} onToggle={onToggle} />
      ))}
    </tbody>
  );
}

const FileRowView = memo(function FileRowView({
  row,
  selected,
  onToggle,
}: {
  row: FileRow;
  selected: boolean;
  onToggle: (fileId: string, checked: boolean) => void;
}) {
  const t = useT();
  const language = useLanguage();
  const reasonId = `file-${row.id}-reason`;
  const folder = row.path && row.path !== '/' ? row.path : null;
  return (
    <tr className={row.transferable ? undefined : 'is-disabled'}>
      <td className="file-table__select">
        <input
          type="checkbox"
          checked={row.transferable && selected}
          disabled={!row.transferable}
          onChange={(event) => onToggle(row.id, event.target.checked)}
          aria-label={t('files.selectFile', { name: row.name })}
          aria-describedby={row.transferable ? undefined : reasonId}
        />
      </td>
      <td data-label={t('files.column.name')} className="file-table__name">
        {folder && <span className="file-table__path">{folder}</span>}
        <span>{row.name}</span>
        {!row.transferable && (
          <span id={reasonId} className="file-table__reason">
            {t(row.reason ? reasonNames[row.reason] : 'files.reason.unknown')}
          </span>
        )}
        {row.transferred && <span className="badge">{t('files.transferred')}</span>}
      </td>
      <td data-label={t('files.column.module')}>{row.module.name}</td>
      <td data-label={t('files.column.size')} className="file-table__number">
        {row.transferable || row.size > 0 ? formatBytes(row.size, language) : ''}
      </td>
      <td data-label={t('files.column.type')} title={row.mimetype ?? undefined}>
        {t(kindNames[row.kind])}
      </td>
      <td data-label={t('files.column.modified')}>{formatDateTime(row.modifiedAt, language)}</td>
    </tr>
  );
});
