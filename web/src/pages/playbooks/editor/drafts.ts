// Text fields that hold JSON (or header lines) may be mid-edit and not
// parse; they report that here so the editor refuses to save until they do.
import { createContext, useContext, useEffect } from 'react';

export type ReportDraft = (key: string, problem: string | null) => void;

export const DraftContext = createContext<ReportDraft>(() => {});

// Report `problem` (null: none) for `key` while the field is shown.
export function useDraftProblem(key: string, problem: string | null): void {
  const report = useContext(DraftContext);
  useEffect(() => {
    report(key, problem);
  }, [key, problem, report]);
  useEffect(() => () => report(key, null), [key, report]);
}
