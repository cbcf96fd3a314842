// ─── SLOT: "What changed around this alert" (issue 15 §4) ─────────────────────────────────────────────
// The incidents area builds this panel in routes/incidents/what-changed-panel.tsx. To wire it, replace
// the body below with `return <WhatChangedPanel alertId={alert.id} firedAt={alert.startsAt} labels={alert.labels} />;`
// (and its import). The alert detail page already renders this slot in its place, beside the history.
export interface WhatChangedSlotProps {
  alert: { id: string; startsAt: string; labels: Record<string, string> };
}

export function WhatChangedSlot(_props: WhatChangedSlotProps) {
  return null;
}
