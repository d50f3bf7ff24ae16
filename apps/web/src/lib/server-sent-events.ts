import { createParser } from 'eventsource-parser';

/** One dispatched server-sent event: its type (`message` when the stream names none) and data. */
export interface ServerSentEvent {
  type: string;
  data: string;
  /** The last `id:` the stream gave, this event's or an earlier one's. */
  lastEventId: string;
}

/**
 * The events of a `text/event-stream` response body as they arrive, parsed by eventsource-parser
 * (Ferry reads its event streams with fetch, not EventSource, so the bearer header goes along).
 * An event cut off by the end of the stream is not dispatched. Aborting `signal`, or leaving the
 * loop early, cancels the body.
 */
export async function* readEventStream(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let lastEventId = '';
  let completed: ServerSentEvent[] = [];
  const parser = createParser({
    onId: (id) => (lastEventId = id),
    onEvent: (event) => completed.push({ type: event.event ?? 'message', data: event.data, lastEventId }),
  });
  let finished = false;
  const cancel = () => {
    reader.cancel().catch(() => undefined);
  };
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    if (signal?.aborted) return;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      parser.feed(decoder.decode(value, { stream: true }));
      const ready = completed;
      completed = [];
      yield* ready;
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
    if (!finished) cancel();
  }
}
