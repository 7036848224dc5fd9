import { createServer } from 'node:http2';
import type { ClientHttp2Session, Http2Server, ServerHttp2Session } from 'node:http2';
import { Http2SessionManager } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardedHttp2SessionManager } from '../../functions/runtime/workflow-service';

const PATH = '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo';

/** The session a call of `manager` ran on, with the manager's own error listeners taken off, as after it moved on. */
async function sessionLeftBehind(manager: Http2SessionManager): Promise<ClientHttp2Session> {
  const stream = await manager.request('POST', PATH, { 'content-type': 'application/grpc' }, {});
  const session = stream.session as ClientHttp2Session;
  stream.on('error', () => undefined);
  stream.resume();
  stream.end();
  await new Promise((r) => stream.once('close', r));
  for (const listener of session.listeners('error')) if (listener.name !== 'ignoreLateError') session.off('error', listener as () => void);
  return session;
}

/**
 * Connect's session manager can leave a destroyed HTTP/2 session without an error listener, and Node raises the
 * session's error later, which kills the process (seen here when Temporal restarted under frozen containers;
 * connect-es issue 1768). The functions' manager keeps a listener on every session it used.
 */
describe('the functions’ HTTP/2 sessions', () => {
  let server: Http2Server;
  const sessions = new Set<ServerHttp2Session>();
  let url = '';
  beforeAll(async () => {
    server = createServer();
    server.on('session', (session) => sessions.add(session));
    server.on('stream', (stream) => {
      stream.on('data', () => undefined);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12' }, { endStream: true });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    for (const session of sessions) session.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('survive an error raised after the manager let go of the session', async () => {
    const manager = new GuardedHttp2SessionManager(url);
    const session = await sessionLeftBehind(manager);
    expect(() => session.emit('error', new Error('received GOAWAY without any open streams'))).not.toThrow();
    manager.abort();
  });

  it('would not with Connect’s own manager (the hazard the guard is for)', async () => {
    const manager = new Http2SessionManager(url);
    const session = await sessionLeftBehind(manager);
    expect(() => session.emit('error', new Error('received GOAWAY without any open streams'))).toThrow(/GOAWAY/);
    session.on('error', () => undefined);
    manager.abort();
  });
});
