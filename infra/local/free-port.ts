import { createServer } from 'node:net';

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('The OS gave no port.'));
      });
    });
  });
}

/** How many times {@link startOnPickedPorts} starts a server whose picked port turned out taken. */
export const PORT_PICK_ATTEMPTS = 3;

/**
 * Starts a server on ports picked with {@link freePort} inside `start`, and starts it again (up to
 * {@link PORT_PICK_ATTEMPTS} times in all) when it fails with an error `portTaken` recognises: a port free when
 * picked can be taken before the server binds it, as when several servers start side by side. A port the caller
 * fixed (`fixedPort` defined) is not moved, so its server is started once.
 * @throws the last start's error
 */
export async function startOnPickedPorts<T>(options: {
  readonly fixedPort: number | undefined;
  readonly start: () => Promise<T>;
  readonly portTaken: (err: unknown) => boolean;
  readonly onRetry?: (err: Error) => void;
}): Promise<T> {
  const attempts = options.fixedPort === undefined ? PORT_PICK_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await options.start();
    } catch (err) {
      if (!options.portTaken(err) || attempt >= attempts) throw err;
      options.onRetry?.(err as Error);
    }
  }
}
