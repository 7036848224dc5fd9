import { create, toBinary } from '@bufbuild/protobuf';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  DefaultFailureConverter,
  defaultPayloadConverter,
  RetryState,
  ServerFailure,
  TerminatedFailure,
  TimeoutFailure,
} from '@temporalio/common';
import type { ProtoFailure } from '@temporalio/common';
// CommonJS package: a default import works under Node's ESM loader.
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { failureInit } from '../../functions/runtime/failure-message';
import { FailureSchema } from '../../jobs/temporal-api/gen/temporal/api/failure/v1/message_pb';

const { Failure } = proto.temporal.api.failure.v1;

/** What Temporal reads from the bytes: the failure decoded by the SDK's own descriptors, as plain JSON. */
const asTemporalReadsIt = (bytes: Uint8Array) => Failure.toObject(Failure.decode(bytes), { longs: String, bytes: String, defaults: false });

/** Encodes `failure` with the generated message and with the SDK's protobufjs code; both must read the same. */
function bothWays(failure: ProtoFailure) {
  const ours = toBinary(FailureSchema, create(FailureSchema, failureInit(failure)));
  const sdks = Failure.encode(failure).finish();
  return { ours: asTemporalReadsIt(ours), sdks: asTemporalReadsIt(sdks) };
}

const converter = new DefaultFailureConverter();
const sealing = new DefaultFailureConverter({ encodeCommonAttributes: true });
const toFailure = (err: unknown, c = converter) => c.errorToFailure(err, defaultPayloadConverter);

/**
 * The functions send failures with their own generated `Failure` message; Temporal must read exactly what the
 * SDK's client would have sent for the same error: type, non-retryable flag, details, retry delay, cause
 * chain, stack trace, sealed attributes, and every kind of failure info.
 */
describe('a failure as the functions send it', () => {
  it.each([
    [
      'an application failure with details, a retry delay and a cause',
      () => {
        const cause = new TypeError('underlying');
        return ApplicationFailure.create({
          message: 'boom',
          type: 'Bad',
          nonRetryable: true,
          details: [{ a: 1 }, 'two'],
          nextRetryDelay: '1.5s',
          cause,
        });
      },
    ],
    ['a plain Error (type and stack trace)', () => new Error('plain')],
    ['a cancellation with details', () => new CancelledFailure('cancelled', ['why'])],
    ['a termination', () => new TerminatedFailure('terminated')],
    ['a timeout with heartbeat details', () => new TimeoutFailure('timed out', { progress: 3 }, 'HEARTBEAT')],
    ['a server failure', () => new ServerFailure('server', true)],
    [
      'an activity failure with its ids and a cause',
      () =>
        new ActivityFailure(
          'activity',
          'doThing',
          '7',
          RetryState.MAXIMUM_ATTEMPTS_REACHED,
          'me@host',
          ApplicationFailure.retryable('inner', 'Inner'),
        ),
    ],
    [
      'a child workflow failure',
      () =>
        new ChildWorkflowFailure(
          'ns',
          { workflowId: 'wf', runId: 'run' },
          'ChildType',
          RetryState.NON_RETRYABLE_FAILURE,
          new Error('child'),
        ),
    ],
  ])('%s', (_name, make) => {
    const { ours, sdks } = bothWays(toFailure(make()));
    expect(ours).toEqual(sdks);
  });

  it('keeps int64 event ids whole', () => {
    const failure = toFailure(new Error('x'));
    failure.activityFailureInfo = {
      // protobufjs takes an int64 as a number, a Long or a decimal string; past 2^53 only the last two are exact.
      scheduledEventId: '9007199254740993' as unknown as NonNullable<ProtoFailure['activityFailureInfo']>['scheduledEventId'],
      startedEventId: 12 as unknown as NonNullable<ProtoFailure['activityFailureInfo']>['startedEventId'],
      activityType: { name: 't' },
    };
    const { ours, sdks } = bothWays(failure);
    expect(ours).toEqual(sdks);
    expect(ours.activityFailureInfo?.scheduledEventId).toBe('9007199254740993');
  });

  it('carries sealed common attributes (message and stack in encodedAttributes)', () => {
    const failure = toFailure(new Error('secret message'), sealing);
    expect(failure.message).toBe('Encoded failure');
    const { ours, sdks } = bothWays(failure);
    expect(ours).toEqual(sdks);
    expect(ours.encodedAttributes).toBeDefined();
  });
});
