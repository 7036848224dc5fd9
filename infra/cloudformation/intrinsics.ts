/** A CloudFormation value: a literal, a list, or an intrinsic function object such as `{ Ref: 'X' }`. */
export type CfnValue = string | number | boolean | readonly CfnValue[] | { readonly [key: string]: CfnValue };

/** A resource of the `Resources` section. */
export interface CfnResource {
  readonly Type: string;
  readonly Condition?: string;
  readonly DependsOn?: string | readonly string[];
  /** What CloudFormation does with the resource when the stack is deleted. */
  readonly DeletionPolicy?: 'Delete' | 'Retain' | 'Snapshot';
  /** What CloudFormation does with the old resource when an update replaces it. */
  readonly UpdateReplacePolicy?: 'Delete' | 'Retain' | 'Snapshot';
  readonly Properties: { readonly [key: string]: CfnValue };
}

/**
 * Keep the resource when the stack is deleted or the resource replaced: for what holds data that outlives a
 * deployment (queued jobs, dead letters, logs, the signing keys in-flight messages were signed with).
 */
export const RETAIN = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' } as const;

/** An entry of the `Outputs` section. */
export interface CfnOutput {
  readonly Description: string;
  readonly Value: CfnValue;
  readonly Export?: { readonly Name: CfnValue };
}

/** `{ Ref: logicalId }`: a resource's primary value (a queue's URL, a policy's ARN) or a parameter's value. */
export const ref = (logicalId: string): CfnValue => ({ Ref: logicalId });

/** `{ 'Fn::GetAtt': [logicalId, attribute] }`. */
export const getAtt = (logicalId: string, attribute: string): CfnValue => ({ 'Fn::GetAtt': [logicalId, attribute] });

/** `{ 'Fn::If': [condition, whenTrue, whenFalse] }`. */
export const fnIf = (condition: string, whenTrue: CfnValue, whenFalse: CfnValue): CfnValue => ({
  'Fn::If': [condition, whenTrue, whenFalse],
});

/** `{ Ref: 'AWS::NoValue' }`: inside {@link fnIf}, leaves the property or list entry out. */
export const NO_VALUE: CfnValue = { Ref: 'AWS::NoValue' };

/** `{ 'Fn::Sub': template }`: `${AWS::StackName}`, `${AWS::Region}` and the like filled in at deploy. */
export const sub = (template: string): CfnValue => ({ 'Fn::Sub': template });

/** The `${AWS::…}` prefix deployed queue names start with; the stack name plays the local stack's stage. */
export const STACK_NAME = '${AWS::StackName}';

/** ARN of an SQS queue in this stack's account and region, by physical name (for use inside {@link sub}). */
export const queueArnTemplate = (physicalName: string): string =>
  `arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:${physicalName}`;
