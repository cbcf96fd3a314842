// The executive report as GET /api/reports/executive returns it (server/domain/executive-report.ts).
// Typed by hand like the rest of the console's own API.
export interface IssueRef {
  issueId: string;
  projectId: string;
  project: string;
  title: string;
}

export interface ExecutiveReport {
  tenant: string;
  period: { from: string; to: string };
  generatedAt: string;
  availability: { definition: string; ratio: number | null; observedSeconds: number; criticalOpenSeconds: number; alertIds: string[] };
  alerts: {
    fired: number;
    bySeverity: { severity: string; count: number }[];
    noisiestRules: { rule: string; ruleId: string | null; count: number; alertIds: string[] }[];
  };
  response: {
    mttaSeconds: number | null;
    mttrSeconds: number | null;
    acknowledged: number;
    resolved: number;
    rows: {
      alertId: string;
      alertname: string;
      severity: string;
      startsAt: string;
      acknowledgedAt: string | null;
      resolvedAt: string | null;
      ttaSeconds: number | null;
      ttrSeconds: number | null;
    }[];
    incidents: {
      mttaSeconds: number | null;
      mttrSeconds: number | null;
      acknowledged: number;
      resolved: number;
      rows: {
        incidentId: string;
        title: string;
        severity: string;
        startedAt: string;
        openedAt: string;
        acknowledgedAt: string | null;
        resolvedAt: string | null;
        ttaSeconds: number | null;
        ttrSeconds: number | null;
      }[];
    };
  };
  errors: {
    new: number;
    regressed: number;
    resolved: number;
    byDay: { day: string; new: number; regressed: number; resolved: number }[];
    issues: { new: IssueRef[]; regressed: IssueRef[]; resolved: IssueRef[] };
  };
  databases: { databaseId: string; name: string; samples: number; first: number | null; last: number | null; min: number | null; mean: number | null; points: { at: string; score: number }[] }[];
  recovery: {
    policyId: string;
    name: string;
    rpoTargetSeconds: number;
    rtoTargetSeconds: number;
    verifiedRestoreAgeSeconds: number | null;
    withinRpo: boolean;
    restores: number;
    drills: { total: number; passed: number; passRate: number | null };
    rtoTrend: { at: string; seconds: number }[];
    rtoSecondsMax: number | null;
  }[];
  privacy: {
    requests: { received: number; completed: number; completedInTime: number; completedLate: number; overdue: number; inTimeRate: number | null; overdueIds: string[]; lateIds: string[] };
    consent: { purpose: string; subjects: number; granted: number; rate: number | null }[];
    breaches: { breachId: string; title: string; awareAt: string; authorityNotifiedAt: string | null; hoursToNotification: number | null; inTime: boolean | null; notNotifiedReason: string | null }[];
  };
}
