// GET /exports/:token: the download of a data subject export behind a short-lived signed link,
// as JSON (default) or one tabular part as CSV (?format=csv&part=sends). Each download is an
// audit event; a bad link gets a JSON error naming what is wrong.
import type { ServerResponse } from 'node:http';
import type { DataSubjectRequestDeps } from '../privacy/data-subject-requests.ts';
import { readExport } from '../privacy/data-subject-requests.ts';
import type { ExportLinks } from '../privacy/export-links.ts';
import { CSV_PARTS, exportCsv, type CsvPart } from '../privacy/subject-export.ts';

export interface ExportRouteDeps {
  exportLinks: ExportLinks;
  dataSubjectRequests: Pick<DataSubjectRequestDeps, 'prisma' | 'tenantKeys' | 'auditReads'>;
}

function sendError(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error }));
}

export async function handleExportDownload(deps: ExportRouteDeps, res: ServerResponse, method: string | undefined, token: string, query: URLSearchParams): Promise<void> {
  if (method !== 'GET') {
    res.setHeader('allow', 'GET');
    return sendError(res, 405, 'use GET');
  }
  const format = query.get('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') return sendError(res, 400, 'format: must be json or csv');
  const part = query.get('part');
  if (format === 'csv' && !CSV_PARTS.includes(part as CsvPart)) return sendError(res, 400, `part: CSV needs one of ${CSV_PARTS.join(', ')}`);
  const link = await deps.exportLinks.verify(token);
  if (!link.ok) {
    return link.reason === 'expired'
      ? sendError(res, 401, 'the download link has expired; read DataSubjectRequest.downloadUrl again for a new one')
      : sendError(res, 403, 'the download link is not valid');
  }
  const { prisma } = deps.dataSubjectRequests;
  const request = await prisma.dataSubjectRequest.findFirst({ where: { id: link.requestId, tenantId: link.tenantId }, select: { id: true, tenantId: true, exportEnc: true } });
  const doc = request && (await readExport(deps.dataSubjectRequests, link.actor, request, `dataSubjectRequest.downloaded.${format}`));
  if (!doc) return sendError(res, 404, 'no export for this link (the request has none, or the recipient was erased)');
  const name = `data-subject-export-${request!.id}${format === 'csv' ? `-${part}.csv` : '.json'}`;
  res.writeHead(200, {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': 'no-store',
  });
  res.end(format === 'csv' ? exportCsv(doc, part as CsvPart) : JSON.stringify(doc, null, 2));
}
