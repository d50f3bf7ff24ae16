import { describe, expect, it } from 'vitest';
import { readEventStream, type ServerSentEvent } from './server-sent-events';

const typesAndData = (events: ServerSentEvent[]) => events.map(({ type, data }) => ({ type, data }));

function byteStream(chunks: Uint8Array[]) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** The events of a stream whose body arrives in these pieces of text. */
async function feed(...pieces: string[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readEventStream(byteStream(pieces.map((piece) => new TextEncoder().encode(piece))))) events.push(event);
  return events;
}

describe('reading an event stream', () => {
  it('dispatches an event at the blank line that ends it, with its type and data', async () => {
    expect(typesAndData(await feed('event: snapshot\ndata: {"a":1}\n\n'))).toEqual([{ type: 'snapshot', data: '{"a":1}' }]);
  });

  it('puts an event back together when it arrives split across pieces, at any character', async () => {
    const text = 'event: snapshot\r\ndata: {"name":"Café"}\r\n\r\nevent: end\r\ndata: {}\r\n\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      expect(typesAndData(await feed(text.slice(0, cut), text.slice(cut)))).toEqual([
        { type: 'snapshot', data: '{"name":"Café"}' },
        { type: 'end', data: '{}' },
      ]);
    }
  });

  it('reads several events from one piece, with LF, CR LF or CR line ends', async () => {
    const events = await feed('event: a\ndata: 1\n\nevent: b\r\ndata: 2\r\n\r\nevent: c\rdata: 3\r\r', ': next');

    expect(typesAndData(events)).toEqual([
      { type: 'a', data: '1' },
      { type: 'b', data: '2' },
      { type: 'c', data: '3' },
    ]);
  });

  it('ignores comments such as heartbeats, and blank lines without data', async () => {
    const events = await feed(': heartbeat\n\n', ':\n\n', 'event: snapshot\n: in the middle\ndata: x\n\n', '\n\n');

    expect(typesAndData(events)).toEqual([{ type: 'snapshot', data: 'x' }]);
  });

  it('joins data lines with a newline, strips one space after the colon, and defaults the type to message', async () => {
    const events = await feed('data:first\ndata:  second\ndata\n\n');

    expect(typesAndData(events)).toEqual([{ type: 'message', data: 'first\n second\n' }]);
  });

  it('does not carry an event type over to the next event, but keeps the last event id', async () => {
    const events = await feed('event: snapshot\nid: 7\ndata: 1\n\ndata: 2\n\n');

    expect(events).toEqual([
      { type: 'snapshot', data: '1', lastEventId: '7' },
      { type: 'message', data: '2', lastEventId: '7' },
    ]);
  });

  it('holds back an event until its blank line comes', async () => {
    expect(await feed('event: snapshot\ndata: 1\n')).toEqual([]);
    expect(typesAndData(await feed('event: snapshot\ndata: 1\n', '\n'))).toEqual([{ type: 'snapshot', data: '1' }]);
  });
});

describe(readEventStream.name, () => {
  it('decodes bytes split inside a character, and drops an event the stream cut off', async () => {
    const bytes = new TextEncoder().encode('event: snapshot\ndata: résumé\n\nevent: end\ndata: {}');
    const split = bytes.indexOf(0xc3) + 1;
    const events: ServerSentEvent[] = [];

    for await (const event of readEventStream(byteStream([bytes.slice(0, split), bytes.slice(split)]))) events.push(event);

    expect(typesAndData(events)).toEqual([{ type: 'snapshot', data: 'résumé' }]);
  });

  it('stops reading and cancels the body when aborted', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: 1\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const controller = new AbortController();
    const seen: string[] = [];

    for await (const event of readEventStream(body, controller.signal)) {
      seen.push(event.data);
      controller.abort();
    }

    expect(seen).toEqual(['1']);
    expect(cancelled).toBe(true);
  });
});
