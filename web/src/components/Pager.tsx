// Previous / next over atio's cursor paging (usePaged).
export function Pager(props: { page: number; hasPrev: boolean; hasNext: boolean; back: () => void; forward: () => void }) {
  if (!props.hasPrev && !props.hasNext) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" onClick={props.back} disabled={!props.hasPrev}>
        ← Newer
      </button>
      <span>Page {props.page}</span>
      <button type="button" onClick={props.forward} disabled={!props.hasNext}>
        Older →
      </button>
    </nav>
  );
}
