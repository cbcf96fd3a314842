// Every taggable resource carries the environment and the service it belongs to
// (`platform` for what all services share).
export type Environment = 'dev' | 'staging' | 'prod';

export function tags(environment: Environment, service: string): Record<string, string> {
  return { environment, service, 'managed-by': 'pulumi', project: 'vigil' };
}
