/**
 * A local port nothing listens on: bound, then closed, so a client sent there meets a
 * refused connection (the tests of "the server is unreachable").
 */
import { createServer, type AddressInfo } from 'node:net';

export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
