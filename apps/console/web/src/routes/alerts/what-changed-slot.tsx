// "What changed around this alert" (issue 15 §4), with its incident and timeline actions, from the
// incidents area, beside the alert's history on its detail page.
import { WhatChangedPanel } from '../incidents/what-changed-panel';

export interface WhatChangedSlotProps {
  alert: { id: string; startsAt: string; severity: string; labels: Record<string, string>; annotations?: Record<string, string>; fingerprint?: string };
}

export function WhatChangedSlot({ alert }: WhatChangedSlotProps) {
  return <WhatChangedPanel alert={alert} />;
}
