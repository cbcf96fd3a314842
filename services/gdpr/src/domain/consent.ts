// Consent rules: how a change is recorded (given, withdrawn, a GPC opt-out signal).
export type ConsentMethod = 'given' | 'withdrawn' | 'gpc';

export interface ConsentInput {
  subjectId: string;
  purpose: string;
  granted: boolean;
  method?: ConsentMethod;
  noticeVersion: string;
  channel: string;
  source: string;
  ip?: string;
  userAgent?: string;
}

/** A GPC signal is an opt-out, and "withdrawn" never grants. */
export function consentOutcome(input: Pick<ConsentInput, 'granted' | 'method'>): { method: ConsentMethod; granted: boolean } {
  const method = input.method ?? (input.granted ? 'given' : 'withdrawn');
  return { method, granted: method === 'given' ? input.granted : false };
}
