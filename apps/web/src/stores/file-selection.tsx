import { createContext, useContext, useMemo, useReducer, type ReactNode } from 'react';

/**
 * The files an admin picked in the transfer console, for whatever acts on them next (a transfer
 * request takes the course id and the file ids). It lives above the features, so a later feature
 * reads it without importing the file picker.
 */
export interface FileSelectionState {
  courseId: number | null;
  fileIds: ReadonlySet<string>;
}

export interface FileSelection extends FileSelectionState {
  /** Picking another course starts a new, empty selection. */
  chooseCourse: (courseId: number) => void;
  setSelected: (fileIds: readonly string[], selected: boolean) => void;
  clear: () => void;
}

type Action =
  | { type: 'chooseCourse'; courseId: number }
  | { type: 'setSelected'; fileIds: readonly string[]; selected: boolean }
  | { type: 'clear' };

const emptySelection: ReadonlySet<string> = new Set();

function reduce(state: FileSelectionState, action: Action): FileSelectionState {
  switch (action.type) {
    case 'chooseCourse':
      return state.courseId === action.courseId ? state : { courseId: action.courseId, fileIds: emptySelection };
    case 'setSelected': {
      const fileIds = new Set(state.fileIds);
      for (const id of action.fileIds) {
        if (action.selected) fileIds.add(id);
        else fileIds.delete(id);
      }
      return { ...state, fileIds };
    }
    case 'clear':
      return state.fileIds.size === 0 ? state : { ...state, fileIds: emptySelection };
  }
}

const FileSelectionContext = createContext<FileSelection | null>(null);

export function FileSelectionProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(reduce, { courseId: null, fileIds: emptySelection });
  const actions = useMemo(
    () => ({
      chooseCourse: (courseId: number) => dispatch({ type: 'chooseCourse', courseId }),
      setSelected: (fileIds: readonly string[], selected: boolean) => dispatch({ type: 'setSelected', fileIds, selected }),
      clear: () => dispatch({ type: 'clear' }),
    }),
    [],
  );
  const value = useMemo(() => ({ ...state, ...actions }), [state, actions]);
  return <FileSelectionContext.Provider value={value}>{children}</FileSelectionContext.Provider>;
}

export function useFileSelection(): FileSelection {
  const selection = useContext(FileSelectionContext);
  if (!selection) throw new Error('useFileSelection() needs a <FileSelectionProvider> above it.');
  return selection;
}
