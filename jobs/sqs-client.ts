import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSClientConfig } from '@aws-sdk/client-sqs';

/**
 * Creates the SQS client every part of the project uses. Endpoint, region and credentials come from the
 * SDK's standard settings (`AWS_ENDPOINT_URL_SQS` / `AWS_ENDPOINT_URL`, `AWS_REGION`, …).
 *
 * `useQueueUrlAsEndpoint` is off: by default the SDK sends each request to the host inside the QueueUrl
 * whenever no endpoint is passed in code, which ignores `AWS_ENDPOINT_URL_SQS` and breaks local emulators
 * whose queue URLs carry a host that does not resolve (`sqs.us-east-1.localhost`). On AWS both are the same host.
 */
export function createSqsClient(config: SQSClientConfig = {}): SQSClient {
  return new SQSClient({ useQueueUrlAsEndpoint: false, ...config });
}
