// What a list or tile shows during its first load; aria-busy tells assistive tech (and the browser
// tests) that data is still coming.
export function Loading({ what = 'Loading…' }: { what?: string }) {
  return (
    <p className="muted" aria-busy="true" role="status">
      {what}
    </p>
  );
}
