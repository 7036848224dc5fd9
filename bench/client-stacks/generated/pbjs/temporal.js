/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const temporal = $root.temporal = (() => {

    /**
     * Namespace temporal.
     * @exports temporal
     * @namespace
     */
    const temporal = {};

    temporal.api = (function() {

        /**
         * Namespace api.
         * @memberof temporal
         * @namespace
         */
        const api = {};

        api.workflowservice = (function() {

            /**
             * Namespace workflowservice.
             * @memberof temporal.api
             * @namespace
             */
            const workflowservice = {};

            workflowservice.v1 = (function() {

                /**
                 * Namespace v1.
                 * @memberof temporal.api.workflowservice
                 * @namespace
                 */
                const v1 = {};

                v1.RecordActivityTaskHeartbeatRequest = (function() {

                    /**
                     * Properties of a RecordActivityTaskHeartbeatRequest.
                     * @typedef {Object} temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Properties
                     * @property {Uint8Array|null} [taskToken] RecordActivityTaskHeartbeatRequest taskToken
                     * @property {temporal.api.common.v1.Payloads.$Properties|null} [details] RecordActivityTaskHeartbeatRequest details
                     * @property {string|null} [identity] RecordActivityTaskHeartbeatRequest identity
                     * @property {string|null} [namespace] RecordActivityTaskHeartbeatRequest namespace
                     * @property {string|null} [resourceId] RecordActivityTaskHeartbeatRequest resourceId
                     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                     */

                    /**
                     * Properties of a RecordActivityTaskHeartbeatRequest.
                     * @memberof temporal.api.workflowservice.v1
                     * @interface IRecordActivityTaskHeartbeatRequest
                     * @augments temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Properties
                     * @deprecated Use temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Properties instead.
                     */

                    /**
                     * Shape of a RecordActivityTaskHeartbeatRequest.
                     * @typedef {temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Properties} temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Shape
                     */

                    /**
                     * Constructs a new RecordActivityTaskHeartbeatRequest.
                     * @memberof temporal.api.workflowservice.v1
                     * @classdesc Represents a RecordActivityTaskHeartbeatRequest.
                     * @constructor
                     * @param {temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Properties=} [properties] Properties to set
                     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                     */
                    const RecordActivityTaskHeartbeatRequest = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    /**
                     * RecordActivityTaskHeartbeatRequest taskToken.
                     * @member {Uint8Array} taskToken
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest
                     * @instance
                     */
                    RecordActivityTaskHeartbeatRequest.prototype.taskToken = $util.newBuffer([]);

                    /**
                     * RecordActivityTaskHeartbeatRequest details.
                     * @member {temporal.api.common.v1.Payloads.$Properties|null|undefined} details
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest
                     * @instance
                     */
                    RecordActivityTaskHeartbeatRequest.prototype.details = null;

                    /**
                     * RecordActivityTaskHeartbeatRequest identity.
                     * @member {string} identity
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest
                     * @instance
                     */
                    RecordActivityTaskHeartbeatRequest.prototype.identity = "";

                    /**
                     * RecordActivityTaskHeartbeatRequest namespace.
                     * @member {string} namespace
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest
                     * @instance
                     */
                    RecordActivityTaskHeartbeatRequest.prototype.namespace = "";

                    /**
                     * RecordActivityTaskHeartbeatRequest resourceId.
                     * @member {string} resourceId
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest
                     * @instance
                     */
                    RecordActivityTaskHeartbeatRequest.prototype.resourceId = "";

                    /**
                     * Encodes the specified RecordActivityTaskHeartbeatRequest message. Does not implicitly {@link temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.verify|verify} messages.
                     * @function encode
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest
                     * @static
                     * @param {temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Properties} message RecordActivityTaskHeartbeatRequest message or plain object to encode
                     * @param {$protobuf.Writer} [writer] Writer to encode to
                     * @returns {$protobuf.Writer} Writer
                     */
                    RecordActivityTaskHeartbeatRequest.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.taskToken != null && $Object.hasOwnProperty.call(message, "taskToken") && message.taskToken.length)
                            writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.taskToken);
                        if (message.details != null && $Object.hasOwnProperty.call(message, "details"))
                            $root.temporal.api.common.v1.Payloads.encode(message.details, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                        if (message.identity != null && $Object.hasOwnProperty.call(message, "identity") && message.identity !== "")
                            writer.uint32(/* id 3, wireType 2 =*/26).string(message.identity);
                        if (message.namespace != null && $Object.hasOwnProperty.call(message, "namespace") && message.namespace !== "")
                            writer.uint32(/* id 4, wireType 2 =*/34).string(message.namespace);
                        if (message.resourceId != null && $Object.hasOwnProperty.call(message, "resourceId") && message.resourceId !== "")
                            writer.uint32(/* id 5, wireType 2 =*/42).string(message.resourceId);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    /**
                     * Decodes a RecordActivityTaskHeartbeatRequest message from the specified reader or buffer.
                     * @function decode
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest
                     * @static
                     * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                     * @param {number} [length] Message length if known beforehand
                     * @returns {temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest & temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest.$Shape} RecordActivityTaskHeartbeatRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    RecordActivityTaskHeartbeatRequest.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.taskToken = value;
                                    else
                                        delete message.taskToken;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 2)
                                        break;
                                    message.details = $root.temporal.api.common.v1.Payloads.decode(reader, reader.size(), $undefined, _depth + 1, message.details);
                                    continue;
                                }
                            case 3: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.identity = value;
                                    else
                                        delete message.identity;
                                    continue;
                                }
                            case 4: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.namespace = value;
                                    else
                                        delete message.namespace;
                                    continue;
                                }
                            case 5: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.resourceId = value;
                                    else
                                        delete message.resourceId;
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    /**
                     * Gets the type url for RecordActivityTaskHeartbeatRequest
                     * @function getTypeUrl
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest
                     * @static
                     * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                     * @returns {string} The type url
                     */
                    RecordActivityTaskHeartbeatRequest.getTypeUrl = function(prefix) {
                        if (prefix === $undefined)
                            prefix = "type.googleapis.com";
                        return prefix + "/temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest";
                    };

                    return RecordActivityTaskHeartbeatRequest;
                })();

                v1.RecordActivityTaskHeartbeatResponse = (function() {

                    /**
                     * Properties of a RecordActivityTaskHeartbeatResponse.
                     * @typedef {Object} temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Properties
                     * @property {boolean|null} [cancelRequested] RecordActivityTaskHeartbeatResponse cancelRequested
                     * @property {boolean|null} [activityPaused] RecordActivityTaskHeartbeatResponse activityPaused
                     * @property {boolean|null} [activityReset] RecordActivityTaskHeartbeatResponse activityReset
                     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                     */

                    /**
                     * Properties of a RecordActivityTaskHeartbeatResponse.
                     * @memberof temporal.api.workflowservice.v1
                     * @interface IRecordActivityTaskHeartbeatResponse
                     * @augments temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Properties
                     * @deprecated Use temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Properties instead.
                     */

                    /**
                     * Shape of a RecordActivityTaskHeartbeatResponse.
                     * @typedef {temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Properties} temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Shape
                     */

                    /**
                     * Constructs a new RecordActivityTaskHeartbeatResponse.
                     * @memberof temporal.api.workflowservice.v1
                     * @classdesc Represents a RecordActivityTaskHeartbeatResponse.
                     * @constructor
                     * @param {temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Properties=} [properties] Properties to set
                     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                     */
                    const RecordActivityTaskHeartbeatResponse = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    /**
                     * RecordActivityTaskHeartbeatResponse cancelRequested.
                     * @member {boolean} cancelRequested
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse
                     * @instance
                     */
                    RecordActivityTaskHeartbeatResponse.prototype.cancelRequested = false;

                    /**
                     * RecordActivityTaskHeartbeatResponse activityPaused.
                     * @member {boolean} activityPaused
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse
                     * @instance
                     */
                    RecordActivityTaskHeartbeatResponse.prototype.activityPaused = false;

                    /**
                     * RecordActivityTaskHeartbeatResponse activityReset.
                     * @member {boolean} activityReset
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse
                     * @instance
                     */
                    RecordActivityTaskHeartbeatResponse.prototype.activityReset = false;

                    /**
                     * Encodes the specified RecordActivityTaskHeartbeatResponse message. Does not implicitly {@link temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.verify|verify} messages.
                     * @function encode
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse
                     * @static
                     * @param {temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Properties} message RecordActivityTaskHeartbeatResponse message or plain object to encode
                     * @param {$protobuf.Writer} [writer] Writer to encode to
                     * @returns {$protobuf.Writer} Writer
                     */
                    RecordActivityTaskHeartbeatResponse.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.cancelRequested != null && $Object.hasOwnProperty.call(message, "cancelRequested") && message.cancelRequested !== false)
                            writer.uint32(/* id 1, wireType 0 =*/8).bool(message.cancelRequested);
                        if (message.activityPaused != null && $Object.hasOwnProperty.call(message, "activityPaused") && message.activityPaused !== false)
                            writer.uint32(/* id 2, wireType 0 =*/16).bool(message.activityPaused);
                        if (message.activityReset != null && $Object.hasOwnProperty.call(message, "activityReset") && message.activityReset !== false)
                            writer.uint32(/* id 3, wireType 0 =*/24).bool(message.activityReset);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    /**
                     * Decodes a RecordActivityTaskHeartbeatResponse message from the specified reader or buffer.
                     * @function decode
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse
                     * @static
                     * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                     * @param {number} [length] Message length if known beforehand
                     * @returns {temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse & temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse.$Shape} RecordActivityTaskHeartbeatResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    RecordActivityTaskHeartbeatResponse.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.bool())
                                        message.cancelRequested = value;
                                    else
                                        delete message.cancelRequested;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.bool())
                                        message.activityPaused = value;
                                    else
                                        delete message.activityPaused;
                                    continue;
                                }
                            case 3: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.bool())
                                        message.activityReset = value;
                                    else
                                        delete message.activityReset;
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    /**
                     * Gets the type url for RecordActivityTaskHeartbeatResponse
                     * @function getTypeUrl
                     * @memberof temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse
                     * @static
                     * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                     * @returns {string} The type url
                     */
                    RecordActivityTaskHeartbeatResponse.getTypeUrl = function(prefix) {
                        if (prefix === $undefined)
                            prefix = "type.googleapis.com";
                        return prefix + "/temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse";
                    };

                    return RecordActivityTaskHeartbeatResponse;
                })();

                v1.RespondActivityTaskCompletedRequest = (function() {

                    /**
                     * Properties of a RespondActivityTaskCompletedRequest.
                     * @typedef {Object} temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Properties
                     * @property {Uint8Array|null} [taskToken] RespondActivityTaskCompletedRequest taskToken
                     * @property {temporal.api.common.v1.Payloads.$Properties|null} [result] RespondActivityTaskCompletedRequest result
                     * @property {string|null} [identity] RespondActivityTaskCompletedRequest identity
                     * @property {string|null} [namespace] RespondActivityTaskCompletedRequest namespace
                     * @property {string|null} [resourceId] RespondActivityTaskCompletedRequest resourceId
                     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                     */

                    /**
                     * Properties of a RespondActivityTaskCompletedRequest.
                     * @memberof temporal.api.workflowservice.v1
                     * @interface IRespondActivityTaskCompletedRequest
                     * @augments temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Properties
                     * @deprecated Use temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Properties instead.
                     */

                    /**
                     * Shape of a RespondActivityTaskCompletedRequest.
                     * @typedef {temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Properties} temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Shape
                     */

                    /**
                     * Constructs a new RespondActivityTaskCompletedRequest.
                     * @memberof temporal.api.workflowservice.v1
                     * @classdesc Represents a RespondActivityTaskCompletedRequest.
                     * @constructor
                     * @param {temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Properties=} [properties] Properties to set
                     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                     */
                    const RespondActivityTaskCompletedRequest = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    /**
                     * RespondActivityTaskCompletedRequest taskToken.
                     * @member {Uint8Array} taskToken
                     * @memberof temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest
                     * @instance
                     */
                    RespondActivityTaskCompletedRequest.prototype.taskToken = $util.newBuffer([]);

                    /**
                     * RespondActivityTaskCompletedRequest result.
                     * @member {temporal.api.common.v1.Payloads.$Properties|null|undefined} result
                     * @memberof temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest
                     * @instance
                     */
                    RespondActivityTaskCompletedRequest.prototype.result = null;

                    /**
                     * RespondActivityTaskCompletedRequest identity.
                     * @member {string} identity
                     * @memberof temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest
                     * @instance
                     */
                    RespondActivityTaskCompletedRequest.prototype.identity = "";

                    /**
                     * RespondActivityTaskCompletedRequest namespace.
                     * @member {string} namespace
                     * @memberof temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest
                     * @instance
                     */
                    RespondActivityTaskCompletedRequest.prototype.namespace = "";

                    /**
                     * RespondActivityTaskCompletedRequest resourceId.
                     * @member {string} resourceId
                     * @memberof temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest
                     * @instance
                     */
                    RespondActivityTaskCompletedRequest.prototype.resourceId = "";

                    /**
                     * Encodes the specified RespondActivityTaskCompletedRequest message. Does not implicitly {@link temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.verify|verify} messages.
                     * @function encode
                     * @memberof temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest
                     * @static
                     * @param {temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Properties} message RespondActivityTaskCompletedRequest message or plain object to encode
                     * @param {$protobuf.Writer} [writer] Writer to encode to
                     * @returns {$protobuf.Writer} Writer
                     */
                    RespondActivityTaskCompletedRequest.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.taskToken != null && $Object.hasOwnProperty.call(message, "taskToken") && message.taskToken.length)
                            writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.taskToken);
                        if (message.result != null && $Object.hasOwnProperty.call(message, "result"))
                            $root.temporal.api.common.v1.Payloads.encode(message.result, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                        if (message.identity != null && $Object.hasOwnProperty.call(message, "identity") && message.identity !== "")
                            writer.uint32(/* id 3, wireType 2 =*/26).string(message.identity);
                        if (message.namespace != null && $Object.hasOwnProperty.call(message, "namespace") && message.namespace !== "")
                            writer.uint32(/* id 4, wireType 2 =*/34).string(message.namespace);
                        if (message.resourceId != null && $Object.hasOwnProperty.call(message, "resourceId") && message.resourceId !== "")
                            writer.uint32(/* id 8, wireType 2 =*/66).string(message.resourceId);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    /**
                     * Decodes a RespondActivityTaskCompletedRequest message from the specified reader or buffer.
                     * @function decode
                     * @memberof temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest
                     * @static
                     * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                     * @param {number} [length] Message length if known beforehand
                     * @returns {temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest & temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest.$Shape} RespondActivityTaskCompletedRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    RespondActivityTaskCompletedRequest.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.taskToken = value;
                                    else
                                        delete message.taskToken;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 2)
                                        break;
                                    message.result = $root.temporal.api.common.v1.Payloads.decode(reader, reader.size(), $undefined, _depth + 1, message.result);
                                    continue;
                                }
                            case 3: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.identity = value;
                                    else
                                        delete message.identity;
                                    continue;
                                }
                            case 4: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.namespace = value;
                                    else
                                        delete message.namespace;
                                    continue;
                                }
                            case 8: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.resourceId = value;
                                    else
                                        delete message.resourceId;
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    /**
                     * Gets the type url for RespondActivityTaskCompletedRequest
                     * @function getTypeUrl
                     * @memberof temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest
                     * @static
                     * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                     * @returns {string} The type url
                     */
                    RespondActivityTaskCompletedRequest.getTypeUrl = function(prefix) {
                        if (prefix === $undefined)
                            prefix = "type.googleapis.com";
                        return prefix + "/temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest";
                    };

                    return RespondActivityTaskCompletedRequest;
                })();

                v1.RespondActivityTaskCompletedResponse = (function() {

                    /**
                     * Properties of a RespondActivityTaskCompletedResponse.
                     * @typedef {Object} temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Properties
                     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                     */

                    /**
                     * Properties of a RespondActivityTaskCompletedResponse.
                     * @memberof temporal.api.workflowservice.v1
                     * @interface IRespondActivityTaskCompletedResponse
                     * @augments temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Properties
                     * @deprecated Use temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Properties instead.
                     */

                    /**
                     * Shape of a RespondActivityTaskCompletedResponse.
                     * @typedef {temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Properties} temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Shape
                     */

                    /**
                     * Constructs a new RespondActivityTaskCompletedResponse.
                     * @memberof temporal.api.workflowservice.v1
                     * @classdesc Represents a RespondActivityTaskCompletedResponse.
                     * @constructor
                     * @param {temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Properties=} [properties] Properties to set
                     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                     */
                    const RespondActivityTaskCompletedResponse = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    /**
                     * Encodes the specified RespondActivityTaskCompletedResponse message. Does not implicitly {@link temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.verify|verify} messages.
                     * @function encode
                     * @memberof temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse
                     * @static
                     * @param {temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Properties} message RespondActivityTaskCompletedResponse message or plain object to encode
                     * @param {$protobuf.Writer} [writer] Writer to encode to
                     * @returns {$protobuf.Writer} Writer
                     */
                    RespondActivityTaskCompletedResponse.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    /**
                     * Decodes a RespondActivityTaskCompletedResponse message from the specified reader or buffer.
                     * @function decode
                     * @memberof temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse
                     * @static
                     * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                     * @param {number} [length] Message length if known beforehand
                     * @returns {temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse & temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse.$Shape} RespondActivityTaskCompletedResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    RespondActivityTaskCompletedResponse.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            reader.skipType(tag & 7, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    /**
                     * Gets the type url for RespondActivityTaskCompletedResponse
                     * @function getTypeUrl
                     * @memberof temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse
                     * @static
                     * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                     * @returns {string} The type url
                     */
                    RespondActivityTaskCompletedResponse.getTypeUrl = function(prefix) {
                        if (prefix === $undefined)
                            prefix = "type.googleapis.com";
                        return prefix + "/temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse";
                    };

                    return RespondActivityTaskCompletedResponse;
                })();

                return v1;
            })();

            return workflowservice;
        })();

        api.common = (function() {

            /**
             * Namespace common.
             * @memberof temporal.api
             * @namespace
             */
            const common = {};

            common.v1 = (function() {

                /**
                 * Namespace v1.
                 * @memberof temporal.api.common
                 * @namespace
                 */
                const v1 = {};

                v1.Payloads = (function() {

                    /**
                     * Properties of a Payloads.
                     * @typedef {Object} temporal.api.common.v1.Payloads.$Properties
                     * @property {Array.<temporal.api.common.v1.Payload.$Properties>|null} [payloads] Payloads payloads
                     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                     */

                    /**
                     * Properties of a Payloads.
                     * @memberof temporal.api.common.v1
                     * @interface IPayloads
                     * @augments temporal.api.common.v1.Payloads.$Properties
                     * @deprecated Use temporal.api.common.v1.Payloads.$Properties instead.
                     */

                    /**
                     * Shape of a Payloads.
                     * @typedef {temporal.api.common.v1.Payloads.$Properties} temporal.api.common.v1.Payloads.$Shape
                     */

                    /**
                     * Constructs a new Payloads.
                     * @memberof temporal.api.common.v1
                     * @classdesc Represents a Payloads.
                     * @constructor
                     * @param {temporal.api.common.v1.Payloads.$Properties=} [properties] Properties to set
                     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                     */
                    const Payloads = function (properties) {
                        this.payloads = [];
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    /**
                     * Payloads payloads.
                     * @member {Array.<temporal.api.common.v1.Payload.$Properties>} payloads
                     * @memberof temporal.api.common.v1.Payloads
                     * @instance
                     */
                    Payloads.prototype.payloads = $util.emptyArray;

                    /**
                     * Encodes the specified Payloads message. Does not implicitly {@link temporal.api.common.v1.Payloads.verify|verify} messages.
                     * @function encode
                     * @memberof temporal.api.common.v1.Payloads
                     * @static
                     * @param {temporal.api.common.v1.Payloads.$Properties} message Payloads message or plain object to encode
                     * @param {$protobuf.Writer} [writer] Writer to encode to
                     * @returns {$protobuf.Writer} Writer
                     */
                    Payloads.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.payloads != null && message.payloads.length)
                            for (let i = 0; i < message.payloads.length; ++i)
                                $root.temporal.api.common.v1.Payload.encode(message.payloads[i], writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    /**
                     * Decodes a Payloads message from the specified reader or buffer.
                     * @function decode
                     * @memberof temporal.api.common.v1.Payloads
                     * @static
                     * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                     * @param {number} [length] Message length if known beforehand
                     * @returns {temporal.api.common.v1.Payloads & temporal.api.common.v1.Payloads.$Shape} Payloads
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    Payloads.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.temporal.api.common.v1.Payloads();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 2)
                                        break;
                                    if (!(message.payloads && message.payloads.length))
                                        message.payloads = [];
                                    message.payloads.push($root.temporal.api.common.v1.Payload.decode(reader, reader.size(), $undefined, _depth + 1));
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    /**
                     * Gets the type url for Payloads
                     * @function getTypeUrl
                     * @memberof temporal.api.common.v1.Payloads
                     * @static
                     * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                     * @returns {string} The type url
                     */
                    Payloads.getTypeUrl = function(prefix) {
                        if (prefix === $undefined)
                            prefix = "type.googleapis.com";
                        return prefix + "/temporal.api.common.v1.Payloads";
                    };

                    return Payloads;
                })();

                v1.Payload = (function() {

                    /**
                     * Properties of a Payload.
                     * @typedef {Object} temporal.api.common.v1.Payload.$Properties
                     * @property {Object.<string,Uint8Array>|null} [metadata] Payload metadata
                     * @property {Uint8Array|null} [data] Payload data
                     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                     */

                    /**
                     * Properties of a Payload.
                     * @memberof temporal.api.common.v1
                     * @interface IPayload
                     * @augments temporal.api.common.v1.Payload.$Properties
                     * @deprecated Use temporal.api.common.v1.Payload.$Properties instead.
                     */

                    /**
                     * Shape of a Payload.
                     * @typedef {temporal.api.common.v1.Payload.$Properties} temporal.api.common.v1.Payload.$Shape
                     */

                    /**
                     * Constructs a new Payload.
                     * @memberof temporal.api.common.v1
                     * @classdesc Represents a Payload.
                     * @constructor
                     * @param {temporal.api.common.v1.Payload.$Properties=} [properties] Properties to set
                     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                     */
                    const Payload = function (properties) {
                        this.metadata = {};
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    /**
                     * Payload metadata.
                     * @member {Object.<string,Uint8Array>} metadata
                     * @memberof temporal.api.common.v1.Payload
                     * @instance
                     */
                    Payload.prototype.metadata = $util.emptyObject;

                    /**
                     * Payload data.
                     * @member {Uint8Array} data
                     * @memberof temporal.api.common.v1.Payload
                     * @instance
                     */
                    Payload.prototype.data = $util.newBuffer([]);

                    /**
                     * Encodes the specified Payload message. Does not implicitly {@link temporal.api.common.v1.Payload.verify|verify} messages.
                     * @function encode
                     * @memberof temporal.api.common.v1.Payload
                     * @static
                     * @param {temporal.api.common.v1.Payload.$Properties} message Payload message or plain object to encode
                     * @param {$protobuf.Writer} [writer] Writer to encode to
                     * @returns {$protobuf.Writer} Writer
                     */
                    Payload.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.metadata != null && $Object.hasOwnProperty.call(message, "metadata"))
                            for (let keys = $Object.keys(message.metadata), i = 0; i < keys.length; ++i)
                                writer.uint32(/* id 1, wireType 2 =*/10).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).bytes(message.metadata[keys[i]]).ldelim();
                        if (message.data != null && $Object.hasOwnProperty.call(message, "data") && message.data.length)
                            writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.data);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    /**
                     * Decodes a Payload message from the specified reader or buffer.
                     * @function decode
                     * @memberof temporal.api.common.v1.Payload
                     * @static
                     * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                     * @param {number} [length] Message length if known beforehand
                     * @returns {temporal.api.common.v1.Payload & temporal.api.common.v1.Payload.$Shape} Payload
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    Payload.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, key, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.temporal.api.common.v1.Payload();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 2)
                                        break;
                                    if (message.metadata === $util.emptyObject)
                                        message.metadata = {};
                                    let end2 = reader.size() + reader.pos;
                                    if (end2 > reader.len)
                                        throw $RangeError("index out of range");
                                    reader.len = end2;
                                    key = "";
                                    value = [];
                                    while (reader.pos < end2) {
                                        let tag2 = reader.tag();
                                        wireType = tag2 & 7;
                                        switch (tag2 >>>= 3) {
                                        case 1:
                                            if (wireType !== 2)
                                                break;
                                            key = reader.stringVerify();
                                            continue;
                                        case 2:
                                            if (wireType !== 2)
                                                break;
                                            value = reader.bytes();
                                            continue;
                                        }
                                        reader.skipType(wireType, _depth, tag2);
                                    }
                                    if (reader.pos !== end2)
                                        throw $RangeError("index out of range");
                                    reader.len = end;
                                    if (key === "__proto__")
                                        $util.makeProp(message.metadata, key);
                                    message.metadata[key] = value;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.data = value;
                                    else
                                        delete message.data;
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    /**
                     * Gets the type url for Payload
                     * @function getTypeUrl
                     * @memberof temporal.api.common.v1.Payload
                     * @static
                     * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                     * @returns {string} The type url
                     */
                    Payload.getTypeUrl = function(prefix) {
                        if (prefix === $undefined)
                            prefix = "type.googleapis.com";
                        return prefix + "/temporal.api.common.v1.Payload";
                    };

                    return Payload;
                })();

                return v1;
            })();

            return common;
        })();

        return api;
    })();

    return temporal;
})();

export {
  $root as default
};
