// What a screen shows when it fails to load or render: the error's detail, and a way on.
import type { ErrorComponentProps } from '@tanstack/react-router';
import { ProblemMessage } from './problem';

export function RouteError({ error, reset }: ErrorComponentProps) {
  return (
    <div className="panel">
      <h1>This screen could not be shown</h1>
      <ProblemMessage error={error} title="Error" />
      <div className="actions">
        <button type="button" onClick={reset}>
          Try again
        </button>
        <a className="button" href="/">
          Go to the overview
        </a>
      </div>
    </div>
  );
}
