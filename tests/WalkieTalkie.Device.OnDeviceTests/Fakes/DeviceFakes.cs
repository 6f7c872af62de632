using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Device.OnDeviceTests.Fakes
{
    /// <summary>Hand-set time.</summary>
    public sealed class FakeClock : IClock
    {
        public long Now;

        public long Milliseconds
        {
            get { return Now; }
        }

        public uint UnixSeconds
        {
            get { return 1800000000; }
        }
    }

    /// <summary>A microphone that always has a block of a constant level, and a speaker that is always ready.</summary>
    public sealed class FakeAudio : IAudioCapture, IAudioPlayback
    {
        public int CaptureRate;
        public int BlocksRead;
        public int BlocksWritten;

        public bool CanWrite
        {
            get { return true; }
        }

        public void Start(int sampleRate)
        {
            CaptureRate = sampleRate;
        }

        public void Stop()
        {
            CaptureRate = 0;
        }

        public bool Read(short[] samples, int offset, int count)
        {
            for (var i = 0; i < count; i++)
            {
                samples[offset + i] = 1000;
            }

            BlocksRead++;
            return true;
        }

        public void Write(short[] samples, int offset, int count)
        {
            BlocksWritten++;
        }
    }

    /// <summary>Buttons set by the test.</summary>
    public sealed class FakeButtons : IButtons
    {
        public bool TalkDown;
        public bool ChannelDown;

        public bool IsDown(ButtonId button)
        {
            return button == ButtonId.Talk ? TalkDown : button == ButtonId.Channel && ChannelDown;
        }
    }

    /// <summary>Remembers the last LED state and tone.</summary>
    public sealed class FakeIndicator : IIndicator
    {
        public LedState Led;
        public Tone LastTone;

        public void ShowLed(LedState state)
        {
            Led = state;
        }

        public void PlayTone(Tone tone)
        {
            LastTone = tone;
        }
    }

    /// <summary>A full battery and a power-on start.</summary>
    public sealed class FakePower : IPower
    {
        public bool Standby;

        public WakeCause WakeCause
        {
            get { return WakeCause.Reset; }
        }

        public int BatteryMillivolts
        {
            get { return 4000; }
        }

        public int BatteryPercent
        {
            get { return 80; }
        }

        public void SetStandby(bool on)
        {
            Standby = on;
        }

        public void EnterPocket(uint checkInSeconds)
        {
        }
    }

    /// <summary>A broker that accepts at once and keeps the last publish of each topic.</summary>
    public sealed class FakeTransport : IMessageTransport
    {
        public bool Up;
        public int Published;
        public string LastTopic;
        public byte[] LastPayload = new byte[4096];
        public int LastLength;
        public string Subscribed;

        public bool IsConnected
        {
            get { return Up; }
        }

        public int Rssi
        {
            get { return -60; }
        }

        public bool Connect(string willTopic, byte[] willPayload)
        {
            Up = true;
            return true;
        }

        public void Disconnect()
        {
            Up = false;
        }

        public void Subscribe(string topicFilter)
        {
            Subscribed = topicFilter;
        }

        public bool Publish(string topic, byte[] payload, int length, byte qos, bool retain)
        {
            Published++;
            LastTopic = topic;
            System.Array.Copy(payload, LastPayload, length);
            LastLength = length;
            return true;
        }
    }

    /// <summary>The identity and a config cache in memory.</summary>
    public sealed class FakeSettings : ISettingsStore
    {
        public byte[] Cached = new byte[0];

        public string BadgeId
        {
            get { return "anna"; }
        }

        public string Firmware
        {
            get { return "test"; }
        }

        public int ReadConfig(byte[] buffer)
        {
            System.Array.Copy(Cached, buffer, Cached.Length);
            return Cached.Length;
        }

        public void WriteConfig(byte[] buffer, int length)
        {
            Cached = new byte[length];
            System.Array.Copy(buffer, Cached, length);
        }
    }
}
