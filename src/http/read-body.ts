// Reads a request body as text. With a limit, answers null as soon as the body passes it and
// leaves the rest unread, so an oversized upload costs no more memory than the limit.
import type { IncomingMessage } from 'node:http';

export async function readBody(req: IncomingMessage, limit = Number.POSITIVE_INFINITY): Promise<string | null> {
  return (await readBodyBytes(req, limit))?.toString('utf8') ?? null;
}

export function readBodyBytes(req: IncomingMessage, limit = Number.POSITIVE_INFINITY): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
