// The frame of an overview tile: a titled section, its detail link, and its loading or error state.
import type { ReactNode } from 'react';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';

export function Tile(props: { id: string; title: string; link?: ReactNode; wide?: boolean; error?: unknown; loading?: boolean; children?: ReactNode }) {
  const headingId = `tile-${props.id}-title`;
  return (
    <section className={`tile${props.wide ? ' wide' : ''}`} aria-labelledby={headingId} data-testid={`tile-${props.id}`} aria-busy={props.loading ? true : undefined}>
      <header>
        <h2 id={headingId}>{props.title}</h2>
        {props.link}
      </header>
      {props.error ? <ProblemMessage error={props.error} title="Could not load" /> : props.loading ? <Loading /> : props.children}
    </section>
  );
}
