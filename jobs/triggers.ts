import { eventBridgeTrigger, httpTrigger, s3Trigger, sqsTrigger } from './define-trigger';
import { greetingWorkflowContract } from './workflow-contracts';
import { UnmappableEventError } from './errors';

/** A string field of an event's data, or {@link UnmappableEventError} naming the field (never its value). */
export function requireString(data: unknown, field: string, maxLength = 256): string {
  const value = (data as Record<string, unknown> | null | undefined)?.[field];
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new UnmappableEventError(`field "${field}" is not a string of 1 to ${maxLength} characters`);
  }
  return value;
}

/** Demo: greets the name of every `.txt` object created in the uploads bucket (its key without folders). */
export const greetOnUpload = s3Trigger({
  name: 'greet-on-upload',
  queue: 'uploads',
  workflow: greetingWorkflowContract,
  suffix: '.txt',
  args: (event) => [
    {
      name: decodeURIComponent(event.s3.object.key.replace(/\+/g, ' '))
        .replace(/^.*\//, '')
        .replace(/\.txt$/, ''),
    },
  ],
});

/** Demo: greets every user the (demo) accounts service announces on the default event bus. */
export const greetOnSignup = eventBridgeTrigger({
  name: 'greet-on-signup',
  queue: 'signups',
  workflow: greetingWorkflowContract,
  pattern: { source: ['demo.accounts'], 'detail-type': ['UserSignedUp'] },
  parseDetail: (detail) => ({ name: requireString(detail, 'name') }),
  args: (event) => [{ name: event.detail.name }],
});

/** Body of a greeting request another system sends to the `requests` queue. */
export interface GreetRequest {
  /** The sender's id of the request; the same request sent twice starts one workflow. */
  readonly requestId: string;
  /** Who to greet. */
  readonly name: string;
}

/** Reads a {@link GreetRequest}; throws {@link UnmappableEventError} for anything else. */
export function parseGreetRequest(body: string): GreetRequest {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw new UnmappableEventError('the body is not JSON');
  }
  return { requestId: requireString(data, 'requestId', 128), name: requireString(data, 'name') };
}

/** Demo: greets whoever other systems ask for, once per request id. */
export const greetOnRequest = sqsTrigger({
  name: 'greet-on-request',
  queue: 'requests',
  workflow: greetingWorkflowContract,
  parse: parseGreetRequest,
  businessKey: ({ body }) => body.requestId,
  args: ({ body }) => [{ name: body.name }],
});

/** Every trigger this project declares, keyed by name; one trigger per trigger queue. */
export const TRIGGERS = { greetOnUpload, greetOnSignup, greetOnRequest } as const;

/** Demo: greets whoever a caller of the starter's Function URL asks for, once per request id (IAM auth). */
export const greetOnCall = httpTrigger({
  name: 'greet-on-call',
  workflow: greetingWorkflowContract,
  parse: parseGreetRequest,
  businessKey: ({ body }) => body.requestId,
  args: ({ body }) => [{ name: body.name }],
});

/** Every HTTP trigger, keyed by name; served by one function at `/<trigger name>`. */
export const HTTP_TRIGGERS = { greetOnCall } as const;
