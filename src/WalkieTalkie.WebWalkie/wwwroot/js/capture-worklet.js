// The microphone side of the web walkie: takes the context's samples (44.1 or 48 kHz), low-passes and resamples them
// to the channel's rate (8 or 16 kHz) with a windowed-sinc filter, and posts 16-bit blocks with the context time of
// their first sample. The codec is not here: the C# badge encodes (one codec, the portable one).
class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.rate = 8000;
    this.enabled = false;
    this.history = new Float32Array(16384);
    this.written = 0;     // input samples ever written to history
    this.position = 0;    // where the next output sample sits, in input samples
    this.out = new Int16Array(160);
    this.outCount = 0;
    this.outStartTime = 0;
    this.port.onmessage = (e) => {
      if (e.data.rate) { this.setRate(e.data.rate); }
      if (e.data.enabled !== undefined) {
        this.enabled = e.data.enabled;
        this.outCount = 0;
        this.position = this.written;
      }
    };
    this.setRate(8000);
  }

  setRate(rate) {
    this.rate = rate;
    this.ratio = sampleRate / rate;
    this.cutoff = 0.45 / this.ratio;              // cycles per input sample: 0.9 of the output's Nyquist
    this.halfWidth = Math.ceil(4 * this.ratio);   // taps each side
    this.out = new Int16Array(Math.round(rate / 50)); // 20 ms a post
    this.outCount = 0;
  }

  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    const frames = input ? input.length : 128;
    const mask = this.history.length - 1;
    for (let i = 0; i < frames; i++) {
      this.history[(this.written + i) & mask] = input ? input[i] : 0;
    }
    const blockStart = currentTime;
    this.written += frames;
    if (!this.enabled) {
      this.position = this.written;
      return true;
    }
    const w = this.halfWidth, fc = this.cutoff;
    while (this.position + w < this.written) {
      const center = Math.floor(this.position);
      const frac = this.position - center;
      let sum = 0, norm = 0;
      for (let k = -w + 1; k <= w; k++) {
        const t = k - frac;
        const x = 2 * Math.PI * fc * t;
        const sinc = t === 0 ? 1 : Math.sin(x) / x;
        const window = 0.5 + 0.5 * Math.cos(Math.PI * t / w);
        const h = sinc * window;
        sum += h * this.history[(center + k) & mask];
        norm += h;
      }
      const v = Math.max(-1, Math.min(1, sum / norm));
      if (this.outCount === 0) {
        // The context time at which this output sample entered the microphone side.
        this.outStartTime = blockStart + (this.position - (this.written - frames)) / sampleRate;
      }
      this.out[this.outCount++] = Math.round(v * 32767);
      if (this.outCount === this.out.length) {
        // The block is handed over (transferred): its length reads 0 afterwards, so the next one is sized first.
        const length = this.out.length;
        this.port.postMessage({ samples: this.out, time: this.outStartTime }, [this.out.buffer]);
        this.out = new Int16Array(length);
        this.outCount = 0;
      }
      this.position += this.ratio;
    }
    return true;
  }
}

registerProcessor('walkie-capture', CaptureProcessor);
