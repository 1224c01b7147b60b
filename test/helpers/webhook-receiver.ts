import { createServer, type IncomingHttpHeaders } from 'node:http';

export type ReceivedWebhook = { headers: IncomingHttpHeaders; body: string; status: number };

/** An HTTP endpoint on loopback that records what it is sent and answers scripted statuses. */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const script: number[] = [];
  let fallback = 200;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      const status = script.shift() ?? fallback;
      received.push({ headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** The next answers, in order; afterwards `always`. */
    answer(...statuses: number[]) {
      script.push(...statuses);
    },
    always(status: number) {
      fallback = status;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
