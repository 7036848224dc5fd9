/** Counters of one Temporal namespace, read from the server's Prometheus endpoint. */
export interface TemporalCounters {
  /** Frontend API requests by operation (`StartWorkflowExecution`, `RespondActivityTaskCompleted`, …). */
  readonly requests: Record<string, number>;
  /** The server's `action` metric by action type: its estimate of Temporal Cloud's billable actions. */
  readonly actions: Record<string, number>;
}

function labelsOf(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[match[1] as string] = match[2] as string;
  return labels;
}

/** Reads the frontend request and action counters of `namespace` from a Prometheus text exposition. */
export function parseTemporalCounters(exposition: string, namespace: string): TemporalCounters {
  const requests: Record<string, number> = {};
  const actions: Record<string, number> = {};
  for (const line of exposition.split('\n')) {
    const match = /^(service_requests|action)\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = labelsOf(match[2] as string);
    if (labels.namespace !== namespace) continue;
    const value = Number(match[3]);
    if (match[1] === 'service_requests' && labels.service_name === 'frontend' && labels.operation) {
      requests[labels.operation] = (requests[labels.operation] ?? 0) + value;
    } else if (match[1] === 'action') {
      const type = labels.action_type ?? labels.operation ?? 'unknown';
      actions[type] = (actions[type] ?? 0) + value;
    }
  }
  return { requests, actions };
}

/** Scrapes the server's counters for `namespace`. */
export async function scrapeTemporalCounters(url: string, namespace: string): Promise<TemporalCounters> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Temporal metrics at ${url} answered ${response.status}.`);
  return parseTemporalCounters(await response.text(), namespace);
}
