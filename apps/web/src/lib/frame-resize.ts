export interface FrameResizeMessage {
  subject: 'lti.frameResize';
  height: number;
}

interface FrameResizeOptions {
  /** The window that framed Ferry; null when Ferry is not in a frame. */
  parent?: { postMessage(message: FrameResizeMessage, targetOrigin: string): void } | null;
  body?: HTMLElement;
}

/**
 * Keeps Moodle's iframe as tall as Ferry's content: Moodle resizes the frame when the tool posts
 * `{ subject: 'lti.frameResize', height }` to it. The target origin is '*' because Ferry does not
 * know which Moodle framed it, and the message carries nothing secret.
 *
 * The body is measured (not the document, whose scroll height never drops below the frame's own
 * height, so the frame could grow but never shrink). The stylesheet keeps the body's height
 * independent of the frame's height, so posting a height cannot trigger another one; at most one
 * message per animation frame, and only when the height changed. Returns a function that stops.
 */
export function startFrameResize({ parent = framingWindow(), body = document.body }: FrameResizeOptions = {}): () => void {
  if (!parent || typeof ResizeObserver === 'undefined') return () => {};

  let postedHeight: number | null = null;
  let scheduled: number | null = null;

  const postHeight = () => {
    scheduled = null;
    const height = Math.ceil(body.getBoundingClientRect().height);
    if (height === postedHeight) return;
    postedHeight = height;
    parent.postMessage({ subject: 'lti.frameResize', height }, '*');
  };

  const observer = new ResizeObserver(() => {
    scheduled ??= requestAnimationFrame(postHeight);
  });
  observer.observe(body);

  return () => {
    observer.disconnect();
    if (scheduled !== null) cancelAnimationFrame(scheduled);
  };
}

function framingWindow(): Window | null {
  return window.parent === window ? null : window.parent;
}
