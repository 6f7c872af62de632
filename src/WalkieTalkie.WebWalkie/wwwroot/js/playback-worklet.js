// The speaker side of the web walkie: plays 16-bit blocks at the channel's rate (what the C# badge's jitter buffer
// decided to play), upsampled to the context's rate, and reports what it played, with the context time it sounded
// at: the page's playback tap (tests and the latency bench read it) and the queue the badge paces its writes by.
class PlaybackProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.rate = 8000;
    this.queue = [];      // Int16Array chunks waiting
    this.offset = 0;      // read position in queue[0]
    this.phase = 0;       // 0..1 between the previous and the current source sample
    this.previous = 0;
    this.current = 0;
    this.report = new Int16Array(256);
    this.reportCount = 0;
    this.reportTime = 0;
    this.port.onmessage = (e) => {
      if (e.data.rate) { this.rate = e.data.rate; }
      if (e.data.samples) { this.queue.push(e.data.samples); }
      if (e.data.clear) { this.queue = []; this.offset = 0; }
    };
  }

  nextSource() {
    while (this.queue.length > 0 && this.offset >= this.queue[0].length) {
      this.queue.shift();
      this.offset = 0;
    }
    if (this.queue.length === 0) {
      return null;
    }
    return this.queue[0][this.offset++];
  }

  flush() {
    if (this.reportCount > 0) {
      this.port.postMessage({ played: this.report.slice(0, this.reportCount), time: this.reportTime });
      this.reportCount = 0;
    }
  }

  process(inputs, outputs) {
    const out = outputs[0][0];
    const step = this.rate / sampleRate;
    let played = 0;
    for (let i = 0; i < out.length; i++) {
      this.phase += step;
      while (this.phase >= 1) {
        this.phase -= 1;
        const s = this.nextSource();
        this.previous = this.current;
        if (s === null) {
          this.current = 0;
        } else {
          if (this.reportCount === 0) {
            this.reportTime = currentTime + i / sampleRate;
          }
          this.report[this.reportCount++] = s;
          played++;
          this.current = s / 32768;
          if (this.reportCount === this.report.length) {
            this.flush();
          }
        }
      }
      out[i] = this.previous + (this.current - this.previous) * this.phase;
    }
    for (let c = 1; c < outputs[0].length; c++) {
      outputs[0][c].set(out);
    }
    // Every 10 ms of sound, or at once when the queue ran dry: the badge paces its writes by these reports.
    if (played === 0 || this.reportCount >= this.rate / 100) {
      this.flush();
    }
    return true;
  }
}

registerProcessor('walkie-playback', PlaybackProcessor);
