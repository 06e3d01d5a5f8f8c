export type { CommandContext } from './stream/command-context.js';
export { derivedEventId } from './stream/derived-event-id.js';
export type { StoredEventShape, StreamDecider } from './stream/stream-decider.js';
export { KeyedQueue } from './stream/keyed-queue.js';
export { foldStream, runStreamCommand, type StreamCommandRequest, type StreamCommandResult } from './stream/run-stream-command.js';
