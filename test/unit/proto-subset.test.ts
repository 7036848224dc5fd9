import { ScalarType } from '@bufbuild/protobuf';
import type { DescEnum, DescField, DescFile, DescMessage } from '@bufbuild/protobuf';
// CommonJS package: a default import works under Node's ESM loader.
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { file_temporal_api_common_v1_message } from '../../jobs/temporal-api/gen/temporal/api/common/v1/message_pb';
import { file_temporal_api_enums_v1_common } from '../../jobs/temporal-api/gen/temporal/api/enums/v1/common_pb';
import { file_temporal_api_enums_v1_nexus } from '../../jobs/temporal-api/gen/temporal/api/enums/v1/nexus_pb';
import { file_temporal_api_enums_v1_task_queue } from '../../jobs/temporal-api/gen/temporal/api/enums/v1/task_queue_pb';
import { file_temporal_api_enums_v1_workflow } from '../../jobs/temporal-api/gen/temporal/api/enums/v1/workflow_pb';
import { file_temporal_api_failure_v1_message } from '../../jobs/temporal-api/gen/temporal/api/failure/v1/message_pb';
import { file_temporal_api_history_v1_message } from '../../jobs/temporal-api/gen/temporal/api/history/v1/message_pb';
import { file_temporal_api_namespace_v1_message } from '../../jobs/temporal-api/gen/temporal/api/namespace/v1/message_pb';
import { file_temporal_api_taskqueue_v1_message } from '../../jobs/temporal-api/gen/temporal/api/taskqueue/v1/message_pb';
import { file_temporal_api_workflowservice_v1_request_response } from '../../jobs/temporal-api/gen/temporal/api/workflowservice/v1/request_response_pb';
import { file_temporal_api_workflowservice_v1_request_response_failed } from '../../jobs/temporal-api/gen/temporal/api/workflowservice/v1/request_response_failed_pb';
import { file_temporal_api_workflowservice_v1_request_response_start } from '../../jobs/temporal-api/gen/temporal/api/workflowservice/v1/request_response_start_pb';
import {
  WorkflowService,
  file_temporal_api_workflowservice_v1_service,
} from '../../jobs/temporal-api/gen/temporal/api/workflowservice/v1/service_pb';
import { isGeneratedMethod, methodSchemas, WORKFLOW_SERVICE, WORKFLOW_SERVICE_METHODS } from '../../functions/runtime/workflow-service';
import type { WorkflowServiceMethod } from '../../functions/runtime/workflow-service';
import { localNameOf } from '../../jobs/temporal-api/wire';
import type { WireField, WireMessage } from '../../jobs/temporal-api/wire';
import { WIRE_MESSAGES, WIRE_METHODS } from '../../jobs/temporal-api/wire-messages';

/** The protobufjs reflection of upstream's descriptors, as much of it as this test reads. */
interface UpstreamField {
  readonly name: string;
  readonly id: number;
  readonly type: string;
  readonly repeated: boolean;
  readonly map?: boolean;
  readonly keyType?: string;
  readonly partOf?: { readonly name: string } | null;
  readonly resolvedType?: { readonly fullName: string } | null;
  readonly options?: Record<string, unknown>;
  resolve(): UpstreamField;
}
interface UpstreamType {
  readonly fields?: Record<string, UpstreamField>;
  readonly values?: Record<string, number>;
  readonly methods?: Record<string, { readonly requestType: string; readonly responseType: string }>;
}

const FILES: readonly DescFile[] = [
  file_temporal_api_common_v1_message,
  file_temporal_api_enums_v1_common,
  file_temporal_api_enums_v1_nexus,
  file_temporal_api_enums_v1_task_queue,
  file_temporal_api_enums_v1_workflow,
  file_temporal_api_failure_v1_message,
  file_temporal_api_history_v1_message,
  file_temporal_api_namespace_v1_message,
  file_temporal_api_taskqueue_v1_message,
  file_temporal_api_workflowservice_v1_request_response,
  file_temporal_api_workflowservice_v1_request_response_failed,
  file_temporal_api_workflowservice_v1_request_response_start,
  file_temporal_api_workflowservice_v1_service,
];

/** Upstream's type of that full name (`temporal.api.failure.v1.Failure`, nested types included). */
function upstream(typeName: string): UpstreamType | undefined {
  let node: unknown = proto;
  for (const part of typeName.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node as UpstreamType | undefined;
}

function allMessages(): DescMessage[] {
  const walk = (m: DescMessage): DescMessage[] => [m, ...m.nestedMessages.flatMap(walk)];
  return FILES.flatMap((f) => f.messages.flatMap(walk));
}

function allEnums(): DescEnum[] {
  return FILES.flatMap((f) => [...f.enums, ...f.messages.flatMap((m) => m.nestedEnums)]);
}

/** A field's type as protobufjs spells it: a scalar's name, or the full name of a message or enum. */
function typeOf(field: DescField): string {
  switch (field.fieldKind) {
    case 'scalar':
      return ScalarType[field.scalar].toLowerCase();
    case 'enum':
      return field.enum.typeName;
    case 'message':
      return field.message.typeName;
    case 'list':
      return field.listKind === 'scalar'
        ? ScalarType[field.scalar].toLowerCase()
        : (field.listKind === 'enum' ? field.enum : field.message).typeName;
    case 'map':
      return field.mapKind === 'scalar'
        ? ScalarType[field.scalar].toLowerCase()
        : (field.mapKind === 'enum' ? field.enum : field.message).typeName;
  }
}

/** What the test compares of one field, on either side. */
function shapeOfSubset(field: DescField) {
  return {
    number: field.number,
    type: typeOf(field),
    repeated: field.fieldKind === 'list',
    map: field.fieldKind === 'map',
    keyType: field.fieldKind === 'map' ? ScalarType[field.mapKey].toLowerCase() : undefined,
    oneof: field.oneof?.localName,
    proto3Optional: field.proto.proto3Optional === true,
  };
}

function shapeOfUpstream(field: UpstreamField) {
  const resolved = field.resolve();
  return {
    number: resolved.id,
    type: resolved.resolvedType ? resolved.resolvedType.fullName.replace(/^\./, '') : resolved.type,
    repeated: resolved.repeated && !resolved.map,
    map: resolved.map === true,
    keyType: resolved.map ? resolved.keyType : undefined,
    // protobufjs keeps a proto3 `optional` as a synthetic oneof named after the field.
    oneof: resolved.partOf && resolved.options?.proto3_optional !== true ? resolved.partOf.name : undefined,
    proto3Optional: resolved.options?.proto3_optional === true,
  };
}

/**
 * The functions speak Temporal with a trimmed copy of its API (`jobs/temporal-api/proto`). Every message,
 * field, enum value and call kept there must be upstream's exactly — same package and name, field number,
 * type, label and oneof — or Temporal would read what the functions send as something else. Upstream is the
 * Temporal API `@temporalio/proto` ships; a Temporal upgrade that moves a field fails here.
 */
describe('the Temporal API subset', () => {
  it('has messages to check', () => {
    expect(allMessages().length).toBeGreaterThan(20);
  });

  it.each(allMessages().map((m) => [m.typeName, m] as const))('%s matches upstream field by field', (typeName, message) => {
    const theirs = upstream(typeName)?.fields;
    expect(theirs, `${typeName} is not in upstream's API`).toBeDefined();
    for (const field of message.fields) {
      const match = theirs?.[field.jsonName];
      expect(match, `${typeName}.${field.name} is not in upstream's ${typeName}`).toBeDefined();
      expect(shapeOfSubset(field), `${typeName}.${field.name}`).toEqual(shapeOfUpstream(match as UpstreamField));
    }
  });

  it.each(allEnums().map((e) => [e.typeName, e] as const))('enum %s matches upstream value by value', (typeName, subset) => {
    // protobufjs hands out an enum of a namespace as its name → number table itself.
    const node = upstream(typeName) as (UpstreamType & Record<string, number>) | undefined;
    const theirs = node?.values ?? node;
    expect(theirs, `${typeName} is not in upstream's API`).toBeDefined();
    for (const value of subset.values) expect(theirs?.[value.name], `${typeName}.${value.name}`).toBe(value.number);
  });

  it("has every call of its WorkflowService in upstream's, with the same request and response types", () => {
    const theirs = upstream(WorkflowService.typeName)?.methods ?? {};
    const types = (name: string) => name.replace(/^\./, '').split('.').pop();
    for (const method of WorkflowService.methods) {
      const match = theirs[method.name];
      expect(match, `WorkflowService.${method.name}`).toBeDefined();
      expect({ request: types(match!.requestType), response: types(match!.responseType) }).toEqual({
        request: method.input.name,
        response: method.output.name,
      });
      expect(method.input.typeName).toBe(`temporal.api.workflowservice.v1.${method.input.name}`);
    }
  });

  it('is what the functions’ client calls: the same methods, paths and schemas as the generated service', async () => {
    expect(WORKFLOW_SERVICE).toBe(WorkflowService.typeName);
    expect([...WORKFLOW_SERVICE_METHODS]).toEqual(WorkflowService.methods.map((m) => m.name));
    for (const method of WorkflowService.methods) {
      const name = method.name as WorkflowServiceMethod;
      const { input, output } = isGeneratedMethod(name) ? await methodSchemas(name) : WIRE_METHODS[name];
      expect([input.typeName, output.typeName], method.name).toEqual([method.input.typeName, method.output.typeName]);
    }
  });
});

/** What the test compares of a wire table's field, in the shape of {@link shapeOfSubset}. */
function shapeOfWire(field: WireField) {
  const map = field.kind === 'map<string, bytes>';
  return {
    number: field.number,
    type: field.message ? field.message().typeName : map ? 'bytes' : field.kind,
    repeated: field.kind === 'repeated message',
    map,
    keyType: map ? 'string' : undefined,
    oneof: undefined,
    proto3Optional: false,
  };
}

/**
 * The messages on the cold-start and per-record path are encoded from hand-kept wire tables
 * (`jobs/temporal-api/wire-messages.ts`), not from the generated code. Each table must be upstream's message
 * field for field, and hold every field the subset keeps of it, so a caller can set nothing the table would drop.
 */
describe('the wire tables', () => {
  const generated = new Map(allMessages().map((m) => [m.typeName, m]));

  it('cover every message of the subset file their methods come from', () => {
    const file = file_temporal_api_workflowservice_v1_request_response.messages.map((m) => m.typeName).sort();
    const methods = Object.values(WIRE_METHODS).flatMap((m: { input: WireMessage; output: WireMessage }) => [
      m.input.typeName,
      m.output.typeName,
    ]);
    expect(methods.sort()).toEqual(file);
  });

  it.each(WIRE_MESSAGES.map((m) => [m.typeName, m] as const))('%s matches upstream and the subset field by field', (typeName, table) => {
    const theirs = upstream(typeName)?.fields;
    expect(theirs, `${typeName} is not in upstream's API`).toBeDefined();
    for (const field of table.fields) {
      const match = theirs?.[localNameOf(field.name)];
      expect(match, `${typeName}.${field.name} is not in upstream's ${typeName}`).toBeDefined();
      expect(shapeOfWire(field), `${typeName}.${field.name}`).toEqual(shapeOfUpstream(match as UpstreamField));
    }
    const subset = generated.get(typeName);
    expect(subset, `${typeName} is not in the subset`).toBeDefined();
    expect(table.fields.map((f) => [f.name, f.number])).toEqual(
      [...(subset?.fields ?? [])].sort((a, b) => a.number - b.number).map((f) => [f.name, f.number]),
    );
  });
});
