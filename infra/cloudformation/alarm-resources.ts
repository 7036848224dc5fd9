import { DEFAULT_OLDEST_MESSAGE_ALARM_SECONDS } from '../../jobs/queues';
import type { FunctionName, QueueDefinition } from '../../jobs/queues';
import { getAtt, ref } from './intrinsics';
import type { CfnResource, CfnValue } from './intrinsics';
import { functionLogicalIds, PARAMETERS_YML, queueLogicalIds } from './logical-ids';
import type { UrlFunctionName } from './logical-ids';

// Notify the topic when there is one, in alarm and back to OK; otherwise the alarms only show in CloudWatch.
const ALARM_TOPIC: CfnValue = {
  'Fn::If': [
    PARAMETERS_YML.hasAlarmTopic,
    [{ 'Fn::If': [PARAMETERS_YML.useExistingAlarmTopic, ref(PARAMETERS_YML.alarmTopicArn), ref(PARAMETERS_YML.alarmTopic)] }],
    ref('AWS::NoValue'),
  ],
};

/** What every alarm shares: one evaluation period, "greater than", no data is fine, notify the topic. */
function alarmProperties(description: string, threshold: number): Record<string, CfnValue> {
  return {
    AlarmDescription: description,
    EvaluationPeriods: 1,
    Threshold: threshold,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: ALARM_TOPIC,
    OKActions: ALARM_TOPIC,
  };
}

/** What {@link alarm} needs. */
export interface AlarmSpec {
  readonly description: string;
  readonly namespace: 'AWS/SQS' | 'AWS/Lambda';
  readonly metric: string;
  readonly dimension: { readonly Name: string; readonly Value: CfnValue };
  readonly statistic: 'Maximum' | 'Sum';
  readonly periodSeconds: number;
  readonly threshold: number;
}

/** An alarm on one metric. */
export function alarm(spec: AlarmSpec): CfnResource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      ...alarmProperties(spec.description, spec.threshold),
      Namespace: spec.namespace,
      MetricName: spec.metric,
      Dimensions: [spec.dimension],
      Statistic: spec.statistic,
      Period: spec.periodSeconds,
    },
  };
}

/**
 * Messages on a dead-letter queue, visible or in flight (metric math `m1 + m2`, each the minute's maximum). The
 * dead-letter function keeps a message it cannot handle in flight under a long visibility timeout, so
 * counting only visible messages would miss exactly the ones that need a person.
 */
export function deadLetterDepthAlarm(description: string, queueName: CfnValue): CfnResource {
  const sqsMetric = (id: string, metric: string): CfnValue => ({
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'AWS/SQS', MetricName: metric, Dimensions: [{ Name: 'QueueName', Value: queueName }] },
      Period: 60,
      Stat: 'Maximum',
    },
    ReturnData: false,
  });
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      ...alarmProperties(description, 0),
      Metrics: [
        sqsMetric('m1', 'ApproximateNumberOfMessagesVisible'),
        sqsMetric('m2', 'ApproximateNumberOfMessagesNotVisible'),
        { Id: 'e1', Expression: 'm1 + m2', Label: 'Messages on the dead-letter queue (visible + in flight)', ReturnData: true },
      ],
    },
  };
}

/**
 * The oldest message on a queue has waited longer than `ageLimitSeconds` (the minute's maximum of
 * `ApproximateAgeOfOldestMessage`): its consumer is not keeping up, or not running.
 * @param queueId logical id of the queue
 * @param description what it means and what to check, for whoever the alarm wakes
 */
export function oldestMessageAlarm(queueId: string, ageLimitSeconds: number, description: string): CfnResource {
  return alarm({
    description,
    namespace: 'AWS/SQS',
    metric: 'ApproximateAgeOfOldestMessage',
    dimension: { Name: 'QueueName', Value: getAtt(queueId, 'QueueName') },
    statistic: 'Maximum',
    periodSeconds: 60,
    threshold: ageLimitSeconds,
  });
}

/**
 * Alarms of one job queue: its dead-letter queue holds a message (waiting, or held by the dead-letter
 * function), and the oldest waiting job is older than the queue's `oldestMessageAlarmSeconds` (the
 * functions are not keeping up, or not running).
 */
export function queueAlarms(queue: string, definition: QueueDefinition): Record<string, CfnResource> {
  const ids = queueLogicalIds(queue);
  const ageLimit = definition.oldestMessageAlarmSeconds ?? DEFAULT_OLDEST_MESSAGE_ALARM_SECONDS;
  return {
    [`${ids.deadLetter}MessagesAlarm`]: deadLetterDepthAlarm(
      `The "${queue}" dead-letter queue holds job messages (visible or in flight). The deadLetter function fails each one's ` +
        'activity as DeadLettered and deletes it; one it cannot read or report stays in flight under a long visibility ' +
        'timeout and keeps this alarm on: read the deadLetter function logs, then redrive or delete it.',
      getAtt(ids.deadLetter, 'QueueName'),
    ),
    [`${ids.queue}OldestMessageAlarm`]: oldestMessageAlarm(
      ids.queue,
      ageLimit,
      `The oldest job on the "${queue}" queue has waited over ${ageLimit} s: processJobs is not keeping up or not running. ` +
        'Check its errors and throttles, the event source mapping, and its maximumConcurrency in jobs/queues.json.',
    ),
  };
}

/** What a throttle of a queue consumer means, and what to do about it. */
const ACCOUNT_THROTTLE =
  "the account's concurrency is exhausted. Raise the account quota or lower the event sources' maximumConcurrency in jobs/queues.json.";

/**
 * Alarms of one function: any invocation error, any throttle, in five minutes. `throttleMeaning` completes
 * "The <fn> function was throttled: " for a function whose throttles mean something else than the account's
 * concurrency running out (the callback function's reserved concurrency).
 */
export function functionAlarms(fn: FunctionName | UrlFunctionName, throttleMeaning = ACCOUNT_THROTTLE): Record<string, CfnResource> {
  const ids = functionLogicalIds(fn);
  const dimension = { Name: 'FunctionName', Value: ref(ids.function) };
  return {
    [`${ids.function}ErrorsAlarm`]: alarm({
      description:
        `The ${fn} function failed whole invocations (records are reported one by one, so this is an init or runtime error: ` +
        'a missing setting, Temporal unreachable at start, a timeout). Read its log group.',
      namespace: 'AWS/Lambda',
      metric: 'Errors',
      dimension,
      statistic: 'Sum',
      periodSeconds: 300,
      threshold: 0,
    }),
    [`${ids.function}ThrottlesAlarm`]: alarm({
      description: `The ${fn} function was throttled: ${throttleMeaning}`,
      namespace: 'AWS/Lambda',
      metric: 'Throttles',
      dimension,
      statistic: 'Sum',
      periodSeconds: 300,
      threshold: 0,
    }),
  };
}
