import type { CompletionClient } from './completion-client';
import type { SQSRecord } from 'aws-lambda';
import { JobMessageError } from '../../jobs/errors';
import { decodeJobMessage } from '../../jobs/job-message';
import type { DecodedJobMessage } from '../../jobs/job-message';
import { describeForLog } from '../../jobs/log-safe';
import { SIGNATURE_ATTRIBUTE } from '../../jobs/security/message-signing';
import type { JobMessageSigner } from '../../jobs/security/message-signing';
import { taskTokenNamespaceId } from '../../jobs/task-token';
import { RecordOutcome } from './outcomes';
import type { LogFields, Logger } from './logger';
import { namespaceIdOf, TemporalConfigurationError } from './temporal-client';

/** What a record must satisfy before the runtime acts on it. */
export interface AdmissionRules {
  /** Verifies the `JobSignature` attribute. */
  readonly signer: JobMessageSigner;
  /** The function's namespace; messages for another are refused. */
  readonly namespace: string;
  /** Whether a job accepts messages without a task token (`allowCompletionById`). */
  readonly allowsCompletionById: (job: string) => boolean;
}

/** The signature attribute of a record, as Lambda's event carries it (`stringValue`). */
function signatureOf(record: SQSRecord): string | undefined {
  const attribute = record.messageAttributes?.[SIGNATURE_ATTRIBUTE] as { stringValue?: unknown } | undefined;
  return typeof attribute?.stringValue === 'string' ? attribute.stringValue : undefined;
}

/**
 * Reads and authenticates a record: signature first (before a byte of the body is parsed), then the message
 * contract, the namespace, and whether completion by ids is allowed for the job. Returns the message, or the
 * outcome of a record that goes no further.
 */
export async function admitRecord(
  record: SQSRecord,
  deps: AdmissionRules,
  log: Logger,
): Promise<DecodedJobMessage | typeof RecordOutcome.Refused | typeof RecordOutcome.Unreadable> {
  const check = await deps.signer.verify(record.body, signatureOf(record));
  if (!check.ok) {
    log.error('job message is not signed by a key of ours; refused, left for the dead-letter queue', { signature: check.problem });
    return RecordOutcome.Refused;
  }
  let message: DecodedJobMessage;
  try {
    message = decodeJobMessage(record.body);
  } catch (err) {
    if (!(err instanceof JobMessageError)) throw err;
    log.error('unreadable job message; left for redelivery and the dead-letter queue', { problem: err.problem, reason: err.message });
    return RecordOutcome.Unreadable;
  }
  if (message.namespace !== deps.namespace) {
    log.error('job message is for another namespace; refused', { ...idsOf(message), namespace: describeForLog(message.namespace) });
    return RecordOutcome.Refused;
  }
  if (!message.taskTokenBytes && !deps.allowsCompletionById(message.job)) {
    log.error('job message has no task token and its job does not allow completion by ids; refused', idsOf(message));
    return RecordOutcome.Refused;
  }
  return message;
}

/** The ids every log line of a job carries. */
export function idsOf(message: DecodedJobMessage): LogFields {
  return { job: message.job, workflowId: message.workflowId, activityId: message.activityId, attempt: message.attempt };
}

/**
 * Whether a token was minted in this function's namespace, decided from the token and the namespace id
 * (configured, or learnt once: then no network call at all, not even a connect). Fails closed: a token without a namespace id is refused, and when the id
 * cannot be learnt the record waits for redelivery rather than sending the token to Temporal unchecked.
 */
export async function checkTokenNamespace(
  message: DecodedJobMessage,
  getClient: () => Promise<CompletionClient>,
  callDeadline: number,
  log: Logger,
): Promise<typeof RecordOutcome.Refused | typeof RecordOutcome.Retry | undefined> {
  if (!message.taskTokenBytes) return undefined;
  const tokenNamespace = taskTokenNamespaceId(message.taskTokenBytes);
  if (!tokenNamespace) {
    log.error('task token carries no namespace id; refused');
    return RecordOutcome.Refused;
  }
  let ownNamespace: string;
  try {
    ownNamespace = await namespaceIdOf(message.namespace, getClient, callDeadline);
  } catch (err) {
    if (err instanceof TemporalConfigurationError) throw err;
    log.warn('could not learn the namespace id to check the task token; left for redelivery', { error: (err as Error).name });
    return RecordOutcome.Retry;
  }
  if (tokenNamespace !== ownNamespace) {
    log.error('task token belongs to another namespace; refused');
    return RecordOutcome.Refused;
  }
  return undefined;
}
