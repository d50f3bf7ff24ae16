import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { startFrameResize, type FrameResizeMessage } from './frame-resize';

/** A ResizeObserver the test triggers by hand. */
class FakeResizeObserver {
  static instances: FakeResizeObserver[] = [];
  observed: Element[] = [];
  constructor(private readonly callback: ResizeObserverCallback) {
    FakeResizeObserver.instances.push(this);
  }
  observe(element: Element) {
    this.observed.push(element);
  }
  disconnect() {
    this.observed = [];
  }
  resize() {
    if (this.observed.length) this.callback([], this as unknown as ResizeObserver);
  }
}

describe(startFrameResize.name, () => {
  let height: number;
  let body: HTMLElement;
  let parent: { postMessage: Mock<(message: FrameResizeMessage, targetOrigin: string) => void> };
  let frames: FrameRequestCallback[];

  beforeEach(() => {
    FakeResizeObserver.instances = [];
    frames = [];
    vi.stubGlobal('ResizeObserver', FakeResizeObserver);
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
    vi.stubGlobal('cancelAnimationFrame', () => {});
    height = 400;
    body = document.createElement('body');
    body.getBoundingClientRect = () => ({ height }) as DOMRect;
    parent = { postMessage: vi.fn() };
  });
  afterEach(() => vi.restoreAllMocks());

  const observer = () => FakeResizeObserver.instances[0];
  const nextFrame = () => frames.splice(0).forEach((callback) => callback(0));

  it("posts Moodle's lti.frameResize message with the body's height, to any origin", () => {
    startFrameResize({ parent, body });
    observer().resize();
    nextFrame();

    expect(observer().observed).toEqual([body]);
    expect(parent.postMessage).toHaveBeenCalledWith({ subject: 'lti.frameResize', height: 400 }, '*');
  });

  it('posts once per frame, and only when the height changed', () => {
    startFrameResize({ parent, body });
    observer().resize();
    observer().resize();
    nextFrame();
    observer().resize();
    nextFrame();
    height = 250.2;
    observer().resize();
    nextFrame();

    expect(parent.postMessage.mock.calls.map(([message]) => message.height)).toEqual([400, 251]);
  });

  it('stops when told to', () => {
    const stop = startFrameResize({ parent, body });
    stop();
    observer().resize();
    nextFrame();

    expect(parent.postMessage).not.toHaveBeenCalled();
  });

  it('does nothing outside a frame', () => {
    startFrameResize({ parent: null, body });

    expect(FakeResizeObserver.instances).toHaveLength(0);
  });
});
