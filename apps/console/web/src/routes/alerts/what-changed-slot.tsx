// "What changed around this alert" (issue 15 §4) and the incident actions, from the incidents area,
// beside the alert's history on its detail page.
import { AlertIncidentActions, WhatChangedPanel } from '../incidents/what-changed-panel';

export interface WhatChangedSlotProps {
  alert: { id: string; startsAt: string; severity: string; labels: Record<string, string>; annotations?: Record<string, string>; fingerprint?: string };
}

export function WhatChangedSlot({ alert }: WhatChangedSlotProps) {
  return (
    <>
      <AlertIncidentActions alert={alert} />
      <WhatChangedPanel alert={alert} />
    </>
  );
}
