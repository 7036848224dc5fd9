import { GrpcCallError, GrpcCode } from '../../functions/runtime/grpc-status';
import { defaultPayloadConverter } from '@temporalio/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { createTriggerHandler, triggerFinder } from '../../functions/runtime/trigger-handler';
import type { WorkflowServiceClient } from '../../functions/runtime/workflow-service';
import { eventBridgeEventOf } from '../../infra/local/cloud-events';
import { eventBridgeTrigger, s3Trigger } from '../../jobs/define-trigger';
import { greetOnRequest, greetOnSignup, TRIGGERS } from '../../jobs/triggers';
import { greetingWorkflowContract } from '../../jobs/workflow-contracts';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '../../jobs/temporal-api/gen/temporal/api/enums/v1/workflow_pb';
import { recordOutcomes } from '../helpers/outcome-recorder';
import { recordingLogger } from '../helpers/recording-logger';
import { sqsEvent, testContext } from '../helpers/sqs-events';

// No server: Temporal is a fake service; SQS (the redelivery delay of records left on the queue) points at a
// loopback port where nothing listens.
beforeAll(() => {
  Object.assign(process.env, {
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    TEMPORAL_NAMESPACE: 'default',
    AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:1',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
});

const queueArn = (queue: string) => `arn:aws:sqs:us-east-1:000000000000:local-${queue}`;

interface Call {
  readonly method: string;
  readonly request: Record<string, unknown>;
}

/** Temporal's answers to starts as a fake WorkflowService: open runs by id, closed ones, or an outage. */
function fakeTemporal(mode: { readonly down?: boolean; readonly closed?: ReadonlySet<string> } = {}) {
  const calls: Call[] = [];
  const running = new Set<string>();
  const answer = (method: string) => async (request: Record<string, unknown>) => {
    calls.push({ method, request });
    if (mode.down) throw new GrpcCallError(GrpcCode.Unavailable, 'connect ECONNREFUSED');
    const id = request.workflowId as string;
    if (mode.closed?.has(id)) throw new GrpcCallError(GrpcCode.AlreadyExists, 'Workflow execution already finished successfully.');
    const started = !running.has(id);
    running.add(id);
    return { runId: `run-of-${id}`, started };
  };
  const service = {
    startWorkflowExecution: answer('start'),
    signalWithStartWorkflowExecution: answer('signalWithStart'),
  } as unknown as WorkflowServiceClient;
  return { calls, getClient: async () => ({ service }) };
}

function starter(temporal: ReturnType<typeof fakeTemporal>, triggers = Object.values(TRIGGERS)) {
  const log = recordingLogger();
  const outcomes = recordOutcomes();
  const handler = createTriggerHandler({ triggers, getClient: temporal.getClient, logger: log, onOutcomes: outcomes.onOutcomes });
  return { handler, log, outcomes };
}

const request = (requestId: string, name = 'Ada') => JSON.stringify({ requestId, name });

describe('the trigger starter', () => {
  it('starts one workflow for an event delivered twice, and sends the id policies that make it so', async () => {
    const temporal = fakeTemporal();
    const { handler, outcomes } = starter(temporal);
    const body = JSON.stringify(eventBridgeEventOf({ Source: 'demo.accounts', DetailType: 'UserSignedUp', Detail: '{"name":"Grace"}' }));

    const response = await handler(sqsEvent([body, body], queueArn('signups'), { sign: false }), testContext());

    expect(response.batchItemFailures).toEqual([]);
    expect([...outcomes.last.values()].sort()).toEqual([RecordOutcome.AlreadyStarted, RecordOutcome.Started]);
    const [first] = temporal.calls;
    expect(first?.request).toMatchObject({
      namespace: 'default',
      workflowType: { name: 'greetingWorkflow' },
      taskQueue: { name: 'lambda-jobs' },
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      requestId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-/),
    });
    const input = (first?.request.input as { payloads: { metadata: Record<string, Uint8Array>; data: Uint8Array }[] }).payloads;
    expect(input.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ name: 'Grace' }]);
  });

  it('acknowledges an event whose workflow has already closed (WorkflowExecutionAlreadyStarted)', async () => {
    const temporal = fakeTemporal({ closed: new Set(['greet-on-request/key/r-9']) });
    const { handler, outcomes } = starter(temporal);
    const response = await handler(sqsEvent([request('r-9')], queueArn('requests'), { sign: false }), testContext());
    expect(response.batchItemFailures).toEqual([]);
    expect([...outcomes.last.values()]).toEqual([RecordOutcome.AlreadyStarted]);
  });

  it('leaves an unmappable record for the dead-letter queue, logging ids and field names only', async () => {
    const temporal = fakeTemporal();
    const { handler, log, outcomes } = starter(temporal);
    const event = sqsEvent(
      [request('r-1'), JSON.stringify({ requestId: 'r-2', name: { ssn: '078-05-1120' } }), 'not json'],
      queueArn('requests'),
      {
        sign: false,
      },
    );

    const response = await handler(event, testContext());

    const [good, bad, worse] = event.Records;
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([bad?.messageId, worse?.messageId].sort());
    expect(outcomes.last.get(good!.messageId)).toBe(RecordOutcome.Started);
    expect(outcomes.last.get(bad!.messageId)).toBe(RecordOutcome.Unmappable);
    expect(log.at('error').map((l) => l.fields.problem)).toEqual(
      expect.arrayContaining([expect.stringMatching(/field "name"/), expect.stringMatching(/not JSON/)]),
    );
    expect(log.text()).not.toMatch(/078-05-1120|not json|Ada/);
    expect(temporal.calls).toHaveLength(1);
  });

  it('leaves every record for redelivery while Temporal is down', async () => {
    const temporal = fakeTemporal({ down: true });
    const { handler, outcomes } = starter(temporal);
    const event = sqsEvent([request('r-1'), request('r-2')], queueArn('requests'), { sign: false });
    const response = await handler(event, testContext(1_500));
    expect(response.batchItemFailures).toHaveLength(2);
    expect([...outcomes.last.values()]).toEqual([RecordOutcome.Retry, RecordOutcome.Retry]);
  });

  it('signals with start when the trigger asks for it', async () => {
    const temporal = fakeTemporal();
    const signalling = eventBridgeTrigger({
      ...greetOnSignup,
      name: 'greet-and-tell',
      signal: { name: 'signedUp', args: (e) => [e.id] },
    });
    const { handler, outcomes } = starter(temporal, [signalling]);
    const body = JSON.stringify(eventBridgeEventOf({ Source: 'demo.accounts', DetailType: 'UserSignedUp', Detail: '{"name":"Grace"}' }));
    await handler(sqsEvent([body], queueArn('signups'), { sign: false }), testContext());
    expect(temporal.calls.map((c) => c.method)).toEqual(['signalWithStart']);
    expect(temporal.calls[0]?.request).toMatchObject({ signalName: 'signedUp' });
    expect([...outcomes.last.values()]).toEqual([RecordOutcome.Started]);
  });

  it('sends a record from a queue no trigger serves to the dead-letter queue', async () => {
    const { handler, outcomes } = starter(fakeTemporal(), [greetOnRequest]);
    const response = await handler(sqsEvent([request('r-1')], queueArn('elsewhere'), { sign: false }), testContext());
    expect(response.batchItemFailures).toHaveLength(1);
    expect([...outcomes.last.values()]).toEqual([RecordOutcome.Unmappable]);
  });
});

describe('triggerFinder', () => {
  it('refuses two triggers on one queue', () => {
    const again = s3Trigger({ name: 'again', queue: 'requests', workflow: greetingWorkflowContract, args: () => [{ name: 'x' }] });
    expect(() => triggerFinder([greetOnRequest, again])).toThrow(/share queue "requests"/);
  });
});
