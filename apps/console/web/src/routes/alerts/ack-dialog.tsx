// Acknowledge one alert or a selection, with a comment that goes into each alert's history.
import { useEffect, useId, useRef, useState } from 'react';
import { ProblemMessage } from '../../components/problem';

export function AckDialog({ open, count, busy, error, onConfirm, onCancel }: { open: boolean; count: number; busy: boolean; error: unknown; onConfirm: (comment: string) => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const commentId = useId();
  const [comment, setComment] = useState('');
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setComment('');
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="confirm ack-dialog" aria-labelledby={titleId} onCancel={onCancel} onClose={open ? onCancel : undefined}>
      {open ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onConfirm(comment.trim());
          }}
        >
          <h2 id={titleId}>{count === 1 ? 'Acknowledge this alert' : `Acknowledge ${count} alerts`}</h2>
          <p className="muted">Escalation stops; the comment and your name go into the alert’s history.</p>
          <div className="field">
            <label htmlFor={commentId}>Comment</label>
            <textarea id={commentId} rows={3} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} placeholder="What you are doing about it" autoFocus />
          </div>
          <ProblemMessage error={error} title="Not acknowledged" />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              Acknowledge
            </button>
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
