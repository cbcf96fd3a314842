// A modal confirmation for destructive actions (revoke, rotate, delete), on the native <dialog>:
// focus moves into it, Escape cancels, and it is announced as a dialog.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function ConfirmDialog(props: { open: boolean; title: string; confirmLabel: string; busy?: boolean; onConfirm: () => void; onCancel: () => void; children?: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} className="confirm" aria-labelledby={titleId} onCancel={props.onCancel} onClose={props.open ? props.onCancel : undefined}>
      {props.open ? (
        <>
          <h2 id={titleId}>{props.title}</h2>
          {props.children ? <div className="confirm-body">{props.children}</div> : null}
          <div className="actions">
            <button type="button" className="danger" onClick={props.onConfirm} disabled={props.busy}>
              {props.confirmLabel}
            </button>
            <button type="button" onClick={props.onCancel} autoFocus>
              Cancel
            </button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}
