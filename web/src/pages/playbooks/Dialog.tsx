// A modal dialog on the native <dialog> element: focus stays inside, Escape
// closes it (onClose), and the page behind cannot be clicked.
import { useEffect, useRef, type ReactNode } from 'react';

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { onClose } = props;
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    const cancel = (e: Event) => {
      e.preventDefault();
      onClose();
    };
    d?.addEventListener('cancel', cancel);
    return () => d?.removeEventListener('cancel', cancel);
  }, [onClose]);
  return (
    <dialog ref={ref} className="pb-dialog" aria-labelledby="pb-dialog-title" data-testid={props.testId}>
      <h2 id="pb-dialog-title">{props.title}</h2>
      {props.children}
    </dialog>
  );
}
