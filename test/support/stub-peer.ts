import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a stub peer was sent: enough to show what an outbound call carried, or that none arrived. */
export interface PeerRequest {
  method: string;
  url: string;
  host: string | undefined;
  authorization: string | undefined;
}

export interface StubPeer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Every request it received, in order. */
  requests: PeerRequest[];
  close(): Promise<void>;
}

/**
 * A plain HTTP server on the loopback interface standing in for a remote service (a cloud, a redirect
 * target), answering each request with `answer` and recording what it received.
 */
export async function startStubPeer(
  answer: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"tokens":[]}'),
): Promise<StubPeer> {
  const requests: PeerRequest[] = [];
  const server = createServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      host: request.headers.host,
      authorization: request.headers.authorization,
    });
    answer(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
