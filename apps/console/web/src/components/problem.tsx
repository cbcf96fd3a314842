// An API error in the page: its detail, never a blank page.
import { errorMessage, isProblemError } from '../api/problem';

export function ProblemMessage({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  if (!error) return null;
  const code = isProblemError(error) ? error.code : undefined;
  return (
    <div className="problem" role="alert">
      <strong>{title}:</strong> {errorMessage(error)}
      {code ? <span className="muted mono"> ({code})</span> : null}
    </div>
  );
}

/** The message of a problem about one field, for that field's error line; undefined otherwise. */
export function fieldError(error: unknown, field: string): string | undefined {
  return isProblemError(error) && error.field === field ? errorMessage(error) : undefined;
}

/** A form-level error, shown only when it is not already shown at one of the form's fields. */
export function FormProblem({ error, fields }: { error: unknown; fields: readonly string[] }) {
  if (!error) return null;
  if (isProblemError(error) && error.field && fields.includes(error.field)) return null;
  return <ProblemMessage error={error} title="Not saved" />;
}
