// Which Vigil health endpoints self-monitoring polls: PERF_SELF_MONITOR_URLS as name=url pairs.
export interface MonitoredService {
  service: string;
  url: string;
}

export function parseMonitorUrls(spec: string): MonitoredService[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      return { service: pair.slice(0, i), url: pair.slice(i + 1) };
    });
}
