// Gives the event loop one turn so a worker can receive an interrupt message between training steps.
// setImmediate (Node) and MessageChannel (browsers, workers) are not clamped like nested setTimeout (≥4 ms), and
// requestAnimationFrame (tf.nextFrame) would cap a worker at the display's frame rate.

let channel: MessageChannel | undefined;
const waiting: Array<() => void> = [];

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === "function") {
      setImmediate(resolve);
    } else if (typeof MessageChannel === "function") {
      if (!channel) {
        channel = new MessageChannel();
        channel.port1.onmessage = () => waiting.shift()?.();
      }
      waiting.push(resolve);
      channel.port2.postMessage(null);
    } else {
      setTimeout(resolve, 0);
    }
  });
}
