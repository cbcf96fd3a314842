// An EXPLAIN (FORMAT JSON) plan as an indented tree: node, relation, estimated cost and rows, filter.
// Sequential scans with a filter are marked: they are what index advice looks for.
import { cost, count } from './format';

type Node = Record<string, unknown> & { Plans?: Node[] };

function PlanNode({ node }: { node: Node }) {
  const type = String(node['Node Type'] ?? '?');
  const relation = node['Relation Name'] ? ` on ${String(node.Schema ?? '') ? `${String(node.Schema)}.` : ''}${String(node['Relation Name'])}` : '';
  const index = node['Index Name'] ? ` using ${String(node['Index Name'])}` : '';
  const costly = type === 'Seq Scan' && typeof node.Filter === 'string';
  return (
    <li>
      <div className={`plan-node${costly ? ' seq' : ''}`}>
        <strong>{type}</strong>
        <span>
          {relation}
          {index}
        </span>
        <span className="muted small">
          cost {cost(Number(node['Startup Cost']))}..{cost(Number(node['Total Cost']))} · rows {count(Number(node['Plan Rows']))}
        </span>
        {costly ? <span className="badge warning">seq scan with filter</span> : null}
      </div>
      {node.Filter || node['Index Cond'] ? <div className="mono small plan-cond">{String(node['Index Cond'] ?? node.Filter)}</div> : null}
      {node.Plans?.length ? (
        <ul>
          {node.Plans.map((p, i) => (
            <PlanNode key={i} node={p} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function PlanTree({ plan }: { plan: Record<string, unknown> }) {
  const root = plan.Plan as Node | undefined;
  if (!root) return <p className="muted">The plan has no nodes.</p>;
  return (
    <ul className="plan-tree" aria-label="Query plan">
      <PlanNode node={root} />
    </ul>
  );
}
