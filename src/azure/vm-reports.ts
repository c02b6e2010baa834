// The VmReportStore over the `vmsessions` table, which each VM's reporter writes with its managed identity:
// PartitionKey = the scale set's resource id (lower case, "/" as ":"), RowKey = the instance id; columns
// reportedAt, sessions (JSON [{user, kind}]), jupyter, ssh (absent when not counted), drained.
import { odata, type TableClient } from '@azure/data-tables';
import type { UserSession } from '../broker/pool-view.js';
import type { VmReport, VmReportStore } from '../broker/vm-report.js';

/** The partition of a scale set's reports; the reporter computes the same key (infra/vm/session_reporter.py). */
export const reportPartition = (scaleSetId: string): string => scaleSetId.toLowerCase().replace(/\//g, ':');

interface Row {
  rowKey: string;
  reportedAt?: string;
  sessions?: string;
  jupyter?: number;
  ssh?: number;
  drained?: boolean;
}

export function createVmReportStore(table: TableClient): VmReportStore {
  return {
    async list(scaleSetId, options) {
      const out: VmReport[] = [];
      const rows = table.listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${reportPartition(scaleSetId)}` }, abortSignal: options?.abortSignal });
      for await (const r of rows) {
        let sessions: UserSession[] = [];
        try {
          sessions = (JSON.parse(r.sessions ?? '[]') as UserSession[]).filter((s) => typeof s.user === 'string' && (s.kind === 'jupyter' || s.kind === 'ssh'));
        } catch {
          sessions = []; // a damaged row names nobody; its counts still hold
        }
        out.push({
          instanceId: r.rowKey,
          reportedAt: r.reportedAt ?? new Date(0).toISOString(),
          sessions: sessions.map((s) => ({ user: s.user.toLowerCase(), kind: s.kind })),
          counts: { ...(typeof r.jupyter === 'number' ? { jupyter: r.jupyter } : {}), ...(typeof r.ssh === 'number' ? { ssh: r.ssh } : {}) },
          drained: r.drained === true,
        });
      }
      return out;
    },
    async remove(scaleSetId, instanceIds, options) {
      await Promise.all(instanceIds.map(async (id) => {
        try {
          await table.deleteEntity(reportPartition(scaleSetId), id, { abortSignal: options?.abortSignal });
        } catch (e) {
          if ((e as { statusCode?: number }).statusCode !== 404) throw e;
        }
      }));
    },
  };
}
