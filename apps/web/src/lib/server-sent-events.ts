/** One dispatched server-sent event: its type (`message` when the stream names none) and data. */
export interface ServerSentEvent {
  type: string;
  data: string;
  /** The last `id:` the stream gave, this event's or an earlier one's. */
  lastEventId: string;
}

/**
 * Reads the `text/event-stream` format (WHATWG HTML, "Interpreting an event stream") from text
 * that arrives in arbitrary pieces: a line, or a CR LF pair, may be split across two of them.
 * Ferry reads its event streams with fetch, not EventSource, so the bearer header goes along.
 */
export class EventStreamParser {
  private buffer = '';
  private type = '';
  private data: string[] = [];
  private lastEventId = '';

  /** Takes the next piece of decoded text; returns the events it completed, in order. */
  push(text: string): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    const buffer = this.buffer + text;
    // What was left over holds no line end, except perhaps a CR as its last character.
    const lineEnd = /\r\n|\r|\n/g;
    lineEnd.lastIndex = Math.max(0, this.buffer.length - 1);
    let lineStart = 0;
    for (let match = lineEnd.exec(buffer); match; match = lineEnd.exec(buffer)) {
      // A CR at the very end may be the first half of CR LF: wait for the next piece to know.
      if (match[0] === '\r' && match.index === buffer.length - 1) break;
      this.readLine(buffer.slice(lineStart, match.index), events);
      lineStart = lineEnd.lastIndex;
    }
    this.buffer = buffer.slice(lineStart);
    return events;
  }

  private readLine(line: string, events: ServerSentEvent[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.type = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      default:
        // `retry` and unknown fields: Ferry does not reconnect on its own, it falls back to polling.
        break;
    }
  }

  private dispatch(events: ServerSentEvent[]): void {
    if (this.data.length > 0) {
      events.push({ type: this.type || 'message', data: this.data.join('\n'), lastEventId: this.lastEventId });
    }
    this.type = '';
    this.data = [];
  }
}

/**
 * The events of a response body as they arrive. An event cut off by the end of the stream is not
 * dispatched. Aborting `signal`, or leaving the loop early, cancels the body.
 */
export async function* readEventStream(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new EventStreamParser();
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
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
    if (!finished) cancel();
  }
}
