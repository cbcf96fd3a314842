// Checks the Azure Pipelines YAML offline (issue 19 §4): templates and their parameters, path
// filters, dev → staging → prod without a cycle, deployment jobs on environments, pinned task
// majors, and PR service containers equal to infra/docker-compose.yml.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, '.azure-pipelines');

/** Current majors of the tasks we allow (Microsoft's built-in tasks). */
const TASKS: Record<string, number> = {
  NodeTool: 0, Cache: 2, PublishTestResults: 2, PublishCodeCoverageResults: 2, AzureCLI: 2, Docker: 2,
  PublishPipelineArtifact: 1, DownloadPipelineArtifact: 2,
};

type Node = unknown;
type Obj = Record<string, Node>;
const isObj = (v: Node): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function walkFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walkFiles(p) : p.endsWith('.yml') || p.endsWith('.yaml') ? [p] : [];
  });
}
const load = (file: string): Obj => parse(readFileSync(file, 'utf8')) as Obj;
const rel = (file: string) => path.relative(ROOT, file);

/** Every object in a document, with the key path that led to it. */
function objects(node: Node, out: Obj[] = []): Obj[] {
  if (Array.isArray(node)) node.forEach((n) => objects(n, out));
  else if (isObj(node)) {
    out.push(node);
    Object.values(node).forEach((n) => objects(n, out));
  }
  return out;
}

interface Param { name: string; type?: string; default?: Node; values?: Node[] }
const declared = (doc: Obj): Param[] => (Array.isArray(doc.parameters) ? (doc.parameters as Param[]) : []);
const isExpr = (v: Node) => typeof v === 'string' && v.includes('${{');

/** Problems with one `template:` reference (path and parameters). */
export function templateProblems(fromFile: string, ref: Obj): string[] {
  const target = path.resolve(path.dirname(fromFile), String(ref.template));
  if (!existsSync(target)) return [`${rel(fromFile)}: template ${String(ref.template)} does not exist`];
  const params = declared(load(target));
  const passed = isObj(ref.parameters) ? ref.parameters : {};
  const problems: string[] = [];
  for (const p of params) {
    if (!p.type) problems.push(`${rel(target)}: parameter ${p.name} has no type`);
    if (!(p.name in passed) && p.default === undefined) problems.push(`${rel(fromFile)}: required parameter ${p.name} of ${rel(target)} not passed`);
  }
  for (const [name, value] of Object.entries(passed)) {
    const p = params.find((x) => x.name === name);
    if (!p) { problems.push(`${rel(fromFile)}: ${rel(target)} declares no parameter ${name}`); continue; }
    if (isExpr(value)) continue;
    if (p.values && !p.values.includes(value)) problems.push(`${rel(fromFile)}: ${name}=${JSON.stringify(value)} not in ${JSON.stringify(p.values)}`);
    const kind = Array.isArray(value) || isObj(value) ? 'object' : typeof value;
    if (p.type && p.type !== kind && !(p.type === 'string' && kind === 'number')) problems.push(`${rel(fromFile)}: ${name} is ${kind}, declared ${p.type}`);
  }
  return problems;
}

/** Problems with a task reference: `Name@major`, major on the allowlist. */
export function taskProblems(ref: string, allow = TASKS): string[] {
  const m = /^([A-Za-z][\w.-]*)@(\d+)$/.exec(ref);
  if (!m) return [`task ${ref} is not Name@major`];
  const major = allow[m[1]!];
  if (major === undefined) return [`task ${m[1]} is not on the allowlist`];
  return Number(m[2]) === major ? [] : [`task ${ref}: current major is ${major}`];
}

interface Stage { stage: string; dependsOn?: string | string[] }
/** Stage dependencies (an absent dependsOn means the previous stage), then a topological order. */
export function stageOrder(stages: Stage[]): { order: string[]; deps: Map<string, string[]> } {
  const deps = new Map<string, string[]>();
  stages.forEach((s, i) => {
    const d = s.dependsOn === undefined ? (i > 0 ? [stages[i - 1]!.stage] : []) : ([] as string[]).concat(s.dependsOn);
    deps.set(s.stage, d);
  });
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: string, trail: string[]) => {
    if (state.get(s) === 'done') return;
    if (state.get(s) === 'visiting') throw new Error(`stage cycle: ${[...trail, s].join(' → ')}`);
    if (!deps.has(s)) throw new Error(`stage ${trail.at(-1)} depends on unknown stage ${s}`);
    state.set(s, 'visiting');
    for (const d of deps.get(s)!) visit(d, [...trail, s]);
    state.set(s, 'done');
    order.push(s);
  };
  for (const s of deps.keys()) visit(s, []);
  return { order, deps };
}

/** The jobs of a jobs list, with job templates expanded one level at a time. */
function jobsOf(file: string, jobs: Node): { file: string; job: Obj }[] {
  if (!Array.isArray(jobs)) return [];
  return jobs.flatMap((j) => {
    if (!isObj(j)) return [];
    if (typeof j.template === 'string') {
      const target = path.resolve(path.dirname(file), j.template);
      return jobsOf(target, load(target).jobs);
    }
    return [{ file, job: j }];
  });
}

const files = walkFiles(DIR);
const pipelines = files.filter((f) => path.dirname(f) === DIR);
const builds = pipelines.filter((f) => path.basename(f).startsWith('build-'));
const compose = load(path.join(ROOT, 'infra/docker-compose.yml')).services as Record<string, Obj>;

describe('the checker itself', () => {
  it('finds a stage cycle and an unknown stage', () => {
    expect(() => stageOrder([{ stage: 'dev', dependsOn: 'prod' }, { stage: 'staging' }, { stage: 'prod' }])).toThrow(/cycle/);
    expect(() => stageOrder([{ stage: 'dev', dependsOn: 'qa' }])).toThrow(/unknown stage qa/);
    expect(stageOrder([{ stage: 'dev' }, { stage: 'staging' }, { stage: 'prod' }]).order).toEqual(['dev', 'staging', 'prod']);
  });

  it('rejects task references without a major or with an old one', () => {
    expect(taskProblems('Cache@2')).toEqual([]);
    expect(taskProblems('Cache')).toEqual(['task Cache is not Name@major']);
    expect(taskProblems('Cache@1')).toEqual(['task Cache@1: current major is 2']);
    expect(taskProblems('Docker@2.1')).toHaveLength(1);
    expect(taskProblems('SomethingElse@3')).toEqual(['task SomethingElse is not on the allowlist']);
  });

  it('rejects a missing template, an undeclared parameter and a value outside `values`', () => {
    const from = path.join(DIR, 'build-alerting.yml');
    expect(templateProblems(from, { template: 'templates/nope.yml' })[0]).toMatch(/does not exist/);
    expect(templateProblems(from, { template: 'templates/deployable.yml', parameters: { deployable: 'alerting', dockerfile: 'x', colour: 'red' } })).toEqual([
      '.azure-pipelines/build-alerting.yml: .azure-pipelines/templates/deployable.yml declares no parameter colour',
    ]);
    expect(templateProblems(from, { template: 'templates/deployable.yml', parameters: { deployable: 'billing', dockerfile: 'x' } })[0]).toMatch(/not in/);
    expect(templateProblems(from, { template: 'templates/deployable.yml', parameters: { dockerfile: 'x' } })[0]).toMatch(/required parameter deployable/);
  });
});

describe('Azure Pipelines files', () => {
  it('there are pipelines and templates, and every file parses', () => {
    expect(pipelines.length).toBeGreaterThanOrEqual(8);
    expect(files.filter((f) => f.includes(`${path.sep}templates${path.sep}`)).length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect(() => load(f), rel(f)).not.toThrow();
  });

  it('every template path exists and gets exactly its declared, typed parameters', () => {
    const refs = files.flatMap((f) => objects(load(f)).filter((o) => typeof o.template === 'string').map((o) => ({ f, o })));
    expect(refs.length).toBeGreaterThanOrEqual(pipelines.length + 6);
    expect(refs.flatMap(({ f, o }) => templateProblems(f, o))).toEqual([]);
  });

  it('every pipeline extends a template (typed parameters, no inline stages)', () => {
    for (const f of pipelines) {
      const doc = load(f);
      expect(isObj(doc.extends) && typeof doc.extends.template === 'string', rel(f)).toBe(true);
      expect(doc.stages ?? doc.jobs ?? doc.steps, rel(f)).toBeUndefined();
    }
  });

  it('every task is Name@major with a current major', () => {
    const refs = files.flatMap((f) => objects(load(f)).filter((o) => typeof o.task === 'string').map((o) => String(o.task)));
    expect(refs.length).toBeGreaterThan(10);
    expect(refs.flatMap((r) => taskProblems(r))).toEqual([]);
  });

  it('every script a step runs exists', () => {
    const paths = files.flatMap((f) => objects(load(f)).flatMap((o) => (isObj(o.inputs) && typeof o.inputs.scriptPath === 'string' ? [o.inputs.scriptPath] : [])));
    const inline = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\.azure-pipelines\/scripts\/[\w.-]+/g)].map((m) => m[0]));
    expect(paths.length).toBeGreaterThan(0);
    for (const p of [...paths, ...inline]) expect(existsSync(path.join(ROOT, p)), p).toBe(true);
  });
});

describe('build pipelines', () => {
  const deployables = [
    ...readdirSync(path.join(ROOT, 'services')).filter((s) => existsSync(path.join(ROOT, 'services', s, 'Dockerfile'))).map((s) => ({ name: s, folder: `services/${s}` })),
    { name: 'console', folder: 'apps/console' },
  ];

  it('one build pipeline per deployable (five services and the console)', () => {
    expect(deployables).toHaveLength(6);
    expect(builds.map((f) => path.basename(f)).sort()).toEqual(deployables.map((d) => `build-${d.name}.yml`).sort());
  });

  it.each(deployables.map((d) => [d.name, d.folder]))('build-%s.yml path-filters its folder, libs/** and the lockfile, and extends the shared template', (name, folder) => {
    const doc = load(path.join(DIR, `build-${name}.yml`));
    const include = ((doc.trigger as Obj).paths as Obj).include as string[];
    expect(include).toEqual(expect.arrayContaining([`${folder}/**`, 'libs/**', 'package-lock.json']));
    const ext = doc.extends as Obj;
    expect(ext.template).toBe('templates/deployable.yml');
    const params = ext.parameters as Obj;
    expect(params.deployable).toBe(name);
    expect(params.dockerfile).toBe(`${folder}/Dockerfile`);
    // The console is built by other branches; once its folder exists, so must its Dockerfile.
    if (existsSync(path.join(ROOT, folder))) expect(existsSync(path.join(ROOT, folder, 'Dockerfile')), `${folder}/Dockerfile`).toBe(true);
  });

  it('the shared template pushes to ACR tagged with the commit SHA and caches on the lockfile', () => {
    const text = readFileSync(path.join(DIR, 'templates/deployable.yml'), 'utf8');
    expect(text).toMatch(/imageTag\s*\n\s*value: \$\(Build\.SourceVersion\)/);
    expect(text).toMatch(/docker push "\$\(acrLoginServer\)\/\$\(imageRepository\):\$\(imageTag\)"/);
    const cache = objects(load(path.join(DIR, 'templates/deployable.yml'))).find((o) => o.task === 'Cache@2');
    expect(String((cache!.inputs as Obj).key)).toContain('package-lock.json');
    const restore = objects(load(path.join(DIR, 'templates/steps/npm-restore.yml'))).find((o) => o.task === 'Cache@2');
    expect(String((restore!.inputs as Obj).key)).toContain('package-lock.json');
  });
});

describe('deploy stages', () => {
  const deployTemplates = ['templates/deployable.yml', 'templates/infra.yml'].map((t) => path.join(DIR, t));

  it.each(deployTemplates.map((f) => [rel(f), f]))('%s: stages run dev → staging → prod with no cycle', (_name, file) => {
    const stages = load(file).stages as Stage[];
    const { order, deps } = stageOrder(stages);
    const at = (s: string) => order.indexOf(s);
    expect(at('dev')).toBeGreaterThanOrEqual(0);
    expect(at('dev')).toBeLessThan(at('staging'));
    expect(at('staging')).toBeLessThan(at('prod'));
    expect(deps.get('staging')).toContain('dev');
    expect(deps.get('prod')).toContain('staging');
  });

  it.each(deployTemplates.map((f) => [rel(f), f]))('%s: every job of dev, staging and prod is a deployment: job bound to an environment:', (_name, file) => {
    const stages = load(file).stages as Obj[];
    for (const env of ['dev', 'staging', 'prod']) {
      const stage = stages.find((s) => s.stage === env)!;
      const jobs = jobsOf(file, stage.jobs);
      expect(jobs.length, env).toBeGreaterThan(0);
      for (const { job, file: from } of jobs) {
        expect(typeof job.deployment, `${rel(from)} in ${env}`).toBe('string');
        expect(String(job.environment ?? ''), `${rel(from)} in ${env}`).toMatch(/\S/);
      }
    }
  });

  it('prod is a canary of 10 → 50 → 100 % with a rollback on failure; every deploy runs migrations first and a smoke test after', () => {
    const deployable = load(path.join(DIR, 'templates/deployable.yml'));
    const prod = ((deployable.stages as Obj[]).find((s) => s.stage === 'prod')!.jobs as Obj[])[0]!;
    expect((prod.parameters as Obj).strategy).toBe('canary');
    expect(declared(deployable).find((p) => p.name === 'canaryIncrements')!.default).toEqual([10, 50]);
    const job = load(path.join(DIR, 'templates/jobs/deploy.yml'));
    const strategy = Object.values(((job.jobs as Obj[])[0]!.strategy as Obj))[0] as Obj;
    const hook = (name: string) => JSON.stringify(strategy[name]);
    expect(hook('preDeploy')).toContain('pre-deploy.sh');
    expect(readFileSync(path.join(DIR, 'scripts/pre-deploy.sh'), 'utf8')).toContain('migrate');
    expect(hook('postRouteTraffic')).toContain('smoke-test.mjs');
    expect(JSON.stringify((strategy.on as Obj).failure)).toContain('rollback');
    for (const check of ['/readyz', '/envelope/', '/receivers/', 'severity=critical']) expect(readFileSync(path.join(DIR, 'scripts/smoke-test.mjs'), 'utf8')).toContain(check);
  });
});

describe('pull-request validation', () => {
  const pr = load(path.join(DIR, 'pr-validation.yml'));
  const containers = (pr.resources as Obj).containers as Obj[];
  const image = (name: string) => containers.find((c) => c.container === name)?.image;

  it.each(['kafka', 'postgres', 'redis'])('service container %s has the image and version of infra/docker-compose.yml', (name) => {
    expect(compose[name]?.image).toBeTruthy();
    expect(image(name)).toBe(compose[name]!.image);
    expect(((pr.extends as Obj).parameters as Obj).serviceContainers).toMatchObject({ [name]: name });
  });

  it('Kafka runs in KRaft mode advertised on localhost; PostgreSQL preloads pg_stat_statements and gets hypopg', () => {
    const env = containers.find((c) => c.container === 'kafka')!.env as Obj;
    expect(String(env.KAFKA_PROCESS_ROLES)).toContain('controller');
    expect(env.KAFKA_ADVERTISED_LISTENERS).toBe('PLAINTEXT://localhost:9092');
    expect((compose.postgres!.command as string[]).join(' ')).toContain('shared_preload_libraries=pg_stat_statements');
    const steps = readFileSync(path.join(DIR, 'templates/steps/postgres-extensions.yml'), 'utf8');
    expect(steps).toContain("shared_preload_libraries = 'pg_stat_statements'");
    expect(steps).toContain('postgresql-15-hypopg');
  });

  it('gates: zero-warning lint, typecheck, npm audit (prod deps, high), npm test with coverage thresholds; JUnit and Cobertura published', () => {
    const tpl = load(path.join(DIR, 'templates/pr-validation.yml'));
    const scripts = objects(tpl).flatMap((o) => (typeof o.script === 'string' ? [o.script] : []));
    expect(scripts.some((s) => s.includes('eslint . --max-warnings=0'))).toBe(true);
    expect(scripts.some((s) => s.includes('npm audit --omit=dev --audit-level=${{ parameters.auditLevel }}'))).toBe(true);
    expect(((pr.extends as Obj).parameters as Obj).auditLevel).toBe('high');
    expect(scripts.some((s) => s.includes('turbo run typecheck'))).toBe(true);
    expect(scripts.some((s) => s.startsWith('npm test -- --config ${{ parameters.coverageConfig }}'))).toBe(true);
    const tasks = objects(tpl).filter((o) => typeof o.task === 'string');
    expect((tasks.find((t) => t.task === 'PublishTestResults@2')!.inputs as Obj).testResultsFormat).toBe('JUnit');
    expect(String((tasks.find((t) => t.task === 'PublishCodeCoverageResults@2')!.inputs as Obj).summaryFileLocation)).toContain('cobertura');
    const ci = readFileSync(path.join(ROOT, String(((pr.extends as Obj).parameters as Obj).coverageConfig)), 'utf8');
    expect(ci).toMatch(/'junit'/);
    expect(ci).toMatch(/'cobertura'/);
    expect(ci).toMatch(/thresholds: COVERAGE_THRESHOLDS/);
  });
});
