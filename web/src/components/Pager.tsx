// Previous / next over atio's cursor paging (usePaged). The labels default to
// a newest-first list; lists in another order name their own.
export function Pager(props: {
  page: number;
  hasPrev: boolean;
  hasNext: boolean;
  back: () => void;
  forward: () => void;
  prevLabel?: string;
  nextLabel?: string;
}) {
  if (!props.hasPrev && !props.hasNext) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" onClick={props.back} disabled={!props.hasPrev}>
        {props.prevLabel ?? '← Newer'}
      </button>
      <span>Page {props.page}</span>
      <button type="button" onClick={props.forward} disabled={!props.hasNext}>
        {props.nextLabel ?? 'Older →'}
      </button>
    </nav>
  );
}
