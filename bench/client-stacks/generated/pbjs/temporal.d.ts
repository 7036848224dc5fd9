import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace temporal. */
export namespace temporal {

    /** Namespace api. */
    namespace api {

        /** Namespace workflowservice. */
        namespace workflowservice {

            /** Namespace v1. */
            namespace v1 {

                /**
                 * Properties of a RecordActivityTaskHeartbeatRequest.
                 * @deprecated Use temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Properties instead.
                 */
                interface IRecordActivityTaskHeartbeatRequest extends temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Properties {
                }

                /** Represents a RecordActivityTaskHeartbeatRequest. */
                class RecordActivityTaskHeartbeatRequest {

                    /**
                     * Constructs a new RecordActivityTaskHeartbeatRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** RecordActivityTaskHeartbeatRequest taskToken. */
                    taskToken: Uint8Array;

                    /** RecordActivityTaskHeartbeatRequest details. */
                    details?: (temporal.api.common.v1.Payloads.$Properties|null);

                    /** RecordActivityTaskHeartbeatRequest identity. */
                    identity: string;

                    /** RecordActivityTaskHeartbeatRequest namespace. */
                    namespace: string;

                    /** RecordActivityTaskHeartbeatRequest resourceId. */
                    resourceId: string;

                    /**
                     * Encodes the specified RecordActivityTaskHeartbeatRequest message. Does not implicitly {@link temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.verify|verify} messages.
                     * @param message RecordActivityTaskHeartbeatRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a RecordActivityTaskHeartbeatRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest & temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Shape} RecordActivityTaskHeartbeatRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest & temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Shape;

                    /**
                     * Gets the type url for RecordActivityTaskHeartbeatRequest
                     * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                     * @returns The type url
                     */
                    static getTypeUrl(prefix?: string): string;
                }

                namespace RecordActivityTaskHeartbeatRequest {

                    /** Properties of a RecordActivityTaskHeartbeatRequest. */
                    interface $Properties {

                        /** RecordActivityTaskHeartbeatRequest taskToken */
                        taskToken?: (Uint8Array|null);

                        /** RecordActivityTaskHeartbeatRequest details */
                        details?: (temporal.api.common.v1.Payloads.$Properties|null);

                        /** RecordActivityTaskHeartbeatRequest identity */
                        identity?: (string|null);

                        /** RecordActivityTaskHeartbeatRequest namespace */
                        namespace?: (string|null);

                        /** RecordActivityTaskHeartbeatRequest resourceId */
                        resourceId?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a RecordActivityTaskHeartbeatRequest. */
                    type $Shape = temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Properties;
                }

                /**
                 * Properties of a RecordActivityTaskHeartbeatResponse.
                 * @deprecated Use temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Properties instead.
                 */
                interface IRecordActivityTaskHeartbeatResponse extends temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Properties {
                }

                /** Represents a RecordActivityTaskHeartbeatResponse. */
                class RecordActivityTaskHeartbeatResponse {

                    /**
                     * Constructs a new RecordActivityTaskHeartbeatResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** RecordActivityTaskHeartbeatResponse cancelRequested. */
                    cancelRequested: boolean;

                    /** RecordActivityTaskHeartbeatResponse activityPaused. */
                    activityPaused: boolean;

                    /** RecordActivityTaskHeartbeatResponse activityReset. */
                    activityReset: boolean;

                    /**
                     * Encodes the specified RecordActivityTaskHeartbeatResponse message. Does not implicitly {@link temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.verify|verify} messages.
                     * @param message RecordActivityTaskHeartbeatResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a RecordActivityTaskHeartbeatResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse & temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Shape} RecordActivityTaskHeartbeatResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse & temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Shape;

                    /**
                     * Gets the type url for RecordActivityTaskHeartbeatResponse
                     * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                     * @returns The type url
                     */
                    static getTypeUrl(prefix?: string): string;
                }

                namespace RecordActivityTaskHeartbeatResponse {

                    /** Properties of a RecordActivityTaskHeartbeatResponse. */
                    interface $Properties {

                        /** RecordActivityTaskHeartbeatResponse cancelRequested */
                        cancelRequested?: (boolean|null);

                        /** RecordActivityTaskHeartbeatResponse activityPaused */
                        activityPaused?: (boolean|null);

                        /** RecordActivityTaskHeartbeatResponse activityReset */
                        activityReset?: (boolean|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a RecordActivityTaskHeartbeatResponse. */
                    type $Shape = temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Properties;
                }

                /**
                 * Properties of a RespondActivityTaskCompletedRequest.
                 * @deprecated Use temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Properties instead.
                 */
                interface IRespondActivityTaskCompletedRequest extends temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Properties {
                }

                /** Represents a RespondActivityTaskCompletedRequest. */
                class RespondActivityTaskCompletedRequest {

                    /**
                     * Constructs a new RespondActivityTaskCompletedRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** RespondActivityTaskCompletedRequest taskToken. */
                    taskToken: Uint8Array;

                    /** RespondActivityTaskCompletedRequest result. */
                    result?: (temporal.api.common.v1.Payloads.$Properties|null);

                    /** RespondActivityTaskCompletedRequest identity. */
                    identity: string;

                    /** RespondActivityTaskCompletedRequest namespace. */
                    namespace: string;

                    /** RespondActivityTaskCompletedRequest resourceId. */
                    resourceId: string;

                    /**
                     * Encodes the specified RespondActivityTaskCompletedRequest message. Does not implicitly {@link temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.verify|verify} messages.
                     * @param message RespondActivityTaskCompletedRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a RespondActivityTaskCompletedRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest & temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Shape} RespondActivityTaskCompletedRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest & temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Shape;

                    /**
                     * Gets the type url for RespondActivityTaskCompletedRequest
                     * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                     * @returns The type url
                     */
                    static getTypeUrl(prefix?: string): string;
                }

                namespace RespondActivityTaskCompletedRequest {

                    /** Properties of a RespondActivityTaskCompletedRequest. */
                    interface $Properties {

                        /** RespondActivityTaskCompletedRequest taskToken */
                        taskToken?: (Uint8Array|null);

                        /** RespondActivityTaskCompletedRequest result */
                        result?: (temporal.api.common.v1.Payloads.$Properties|null);

                        /** RespondActivityTaskCompletedRequest identity */
                        identity?: (string|null);

                        /** RespondActivityTaskCompletedRequest namespace */
                        namespace?: (string|null);

                        /** RespondActivityTaskCompletedRequest resourceId */
                        resourceId?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a RespondActivityTaskCompletedRequest. */
                    type $Shape = temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Properties;
                }

                /**
                 * Properties of a RespondActivityTaskCompletedResponse.
                 * @deprecated Use temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Properties instead.
                 */
                interface IRespondActivityTaskCompletedResponse extends temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Properties {
                }

                /** Represents a RespondActivityTaskCompletedResponse. */
                class RespondActivityTaskCompletedResponse {

                    /**
                     * Constructs a new RespondActivityTaskCompletedResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /**
                     * Encodes the specified RespondActivityTaskCompletedResponse message. Does not implicitly {@link temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.verify|verify} messages.
                     * @param message RespondActivityTaskCompletedResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a RespondActivityTaskCompletedResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse & temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Shape} RespondActivityTaskCompletedResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse & temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Shape;

                    /**
                     * Gets the type url for RespondActivityTaskCompletedResponse
                     * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                     * @returns The type url
                     */
                    static getTypeUrl(prefix?: string): string;
                }

                namespace RespondActivityTaskCompletedResponse {

                    /** Properties of a RespondActivityTaskCompletedResponse. */
                    interface $Properties {

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a RespondActivityTaskCompletedResponse. */
                    type $Shape = temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Properties;
                }
            }
        }

        /** Namespace common. */
        namespace common {

            /** Namespace v1. */
            namespace v1 {

                /**
                 * Properties of a Payloads.
                 * @deprecated Use temporal.api.common.v1.Payloads.$Properties instead.
                 */
                interface IPayloads extends temporal.api.common.v1.Payloads.$Properties {
                }

                /** Represents a Payloads. */
                class Payloads {

                    /**
                     * Constructs a new Payloads.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: temporal.api.common.v1.Payloads.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** Payloads payloads. */
                    payloads: temporal.api.common.v1.Payload.$Properties[];

                    /**
                     * Encodes the specified Payloads message. Does not implicitly {@link temporal.api.common.v1.Payloads.verify|verify} messages.
                     * @param message Payloads message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: temporal.api.common.v1.Payloads.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a Payloads message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {temporal.api.common.v1.Payloads & temporal.api.common.v1.Payloads.$Shape} Payloads
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): temporal.api.common.v1.Payloads & temporal.api.common.v1.Payloads.$Shape;

                    /**
                     * Gets the type url for Payloads
                     * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                     * @returns The type url
                     */
                    static getTypeUrl(prefix?: string): string;
                }

                namespace Payloads {

                    /** Properties of a Payloads. */
                    interface $Properties {

                        /** Payloads payloads */
                        payloads?: (temporal.api.common.v1.Payload.$Properties[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a Payloads. */
                    type $Shape = temporal.api.common.v1.Payloads.$Properties;
                }

                /**
                 * Properties of a Payload.
                 * @deprecated Use temporal.api.common.v1.Payload.$Properties instead.
                 */
                interface IPayload extends temporal.api.common.v1.Payload.$Properties {
                }

                /** Represents a Payload. */
                class Payload {

                    /**
                     * Constructs a new Payload.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: temporal.api.common.v1.Payload.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** Payload metadata. */
                    metadata: { [k: string]: Uint8Array };

                    /** Payload data. */
                    data: Uint8Array;

                    /**
                     * Encodes the specified Payload message. Does not implicitly {@link temporal.api.common.v1.Payload.verify|verify} messages.
                     * @param message Payload message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: temporal.api.common.v1.Payload.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a Payload message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {temporal.api.common.v1.Payload & temporal.api.common.v1.Payload.$Shape} Payload
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): temporal.api.common.v1.Payload & temporal.api.common.v1.Payload.$Shape;

                    /**
                     * Gets the type url for Payload
                     * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                     * @returns The type url
                     */
                    static getTypeUrl(prefix?: string): string;
                }

                namespace Payload {

                    /** Properties of a Payload. */
                    interface $Properties {

                        /** Payload metadata */
                        metadata?: ({ [k: string]: Uint8Array }|null);

                        /** Payload data */
                        data?: (Uint8Array|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a Payload. */
                    type $Shape = temporal.api.common.v1.Payload.$Properties;
                }
            }
        }
    }
}
