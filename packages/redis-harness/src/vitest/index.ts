/**
 * Test helpers on top of the harness, for vitest suites (`@lapse/redis-harness/vitest`; the
 * main entry does not load vitest).
 * @packageDocumentation
 */
export { useRedis } from './useRedis.js';
export type { SuiteRedis } from './useRedis.js';
export { uniqueNamespace } from './uniqueNamespace.js';
export { eventually } from './eventually.js';
export { clientUnderTest, TEST_CLIENT } from './clientUnderTest.js';
export type { ClientUnderTest, NodeRedisUnderTest, TestClientKind } from './clientUnderTest.js';
export { TEST_SERIALIZER, TEST_SERIALIZER_KIND, decodeAttribute, encodeAttribute, serializerOptions, v8Base64Serializer } from './serializerUnderTest.js';
export type { TestSerializer, TestSerializerKind } from './serializerUnderTest.js';
export { EventRecorder } from './EventRecorder.js';
export type { RecordableEvent, RecordableListener, RecordedEventName } from './EventRecorder.js';
export { refusal, useIdleIoredisClients } from './optionChecks.js';
export type { ArgumentErrorClass } from './optionChecks.js';
