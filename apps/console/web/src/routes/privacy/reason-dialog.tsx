// A dialog asking for the reason of an extension (Art. 12(3)) or a refusal (Art. 12(4), with its Art. 12 ground).
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ProblemMessage } from '../../components/problem';
import { REFUSAL_GROUNDS, refusalReason, type RefusalGround } from './request-labels';

export function ReasonDialog(props: {
  open: boolean;
  title: string;
  confirmLabel: string;
  grounds?: boolean;
  unverified: boolean;
  intro: string;
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const id = useId();
  const [ground, setGround] = useState<RefusalGround>('unfounded');
  const [text, setText] = useState('');
  const m = useMutation({ mutationFn: () => props.onSubmit(props.grounds ? refusalReason(ground, text) : text.trim()), onSuccess: () => props.onClose() });
  return (
    <ConfirmDialog open={props.open} title={props.title} confirmLabel={props.confirmLabel} busy={m.isPending || text.trim().length < 3} onConfirm={() => m.mutate()} onCancel={props.onClose}>
      <p className="muted">{props.intro}</p>
      {props.grounds ? (
        <div className="field">
          <label htmlFor={`${id}-g`}>Ground</label>
          <select id={`${id}-g`} value={ground} onChange={(e) => setGround(e.target.value as RefusalGround)}>
            {REFUSAL_GROUNDS.map((g) => (
              <option key={g.id} value={g.id} disabled={g.unverifiedOnly && !props.unverified}>
                {g.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-r`}>Reason</label>
        <textarea id={`${id}-r`} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <ProblemMessage error={m.error} title="Not saved" />
    </ConfirmDialog>
  );
}

/** "Answered in 2 h, 31 d before the deadline". */
