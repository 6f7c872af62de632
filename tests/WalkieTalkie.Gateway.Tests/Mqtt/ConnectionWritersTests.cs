using MQTTnet.Formatter;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>
/// The writer threads that hand frames to listeners' connections: each connection's messages in the order posted and on
/// one thread, nothing allocated per message, and a connection whose socket is full holding up nobody.
/// </summary>
public sealed class ConnectionWritersTests
{
    [Fact]
    public void Each_connection_gets_its_messages_in_the_order_posted_on_one_writer()
    {
        const int Targets = 50;
        const int Rounds = 200;
        var targets = Enumerable.Range(0, Targets).Select(i => new Recorder(i, Rounds)).ToArray();
        var payloads = Enumerable.Range(0, Rounds).Select(i => BitConverter.GetBytes(i)).ToArray();
        using (var writers = new ConnectionWriters<Recorder>(3, 64, (target, payload, audio) => target.Take(payload, audio)))
        {
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var target in targets)
                {
                    // A small ring: the poster waits for room again and again.
                    Assert.True(writers.Post(target.Number, target, payloads[round], audio: round % 7 != 0));
                }
            }
        }

        // Stopping lets the writers hand on everything they held.
        foreach (var target in targets)
        {
            Assert.Equal(Enumerable.Range(0, Rounds), target.Sequence);
            Assert.Equal(Enumerable.Range(0, Rounds).Select(i => i % 7 != 0), target.Kinds);
            Assert.Single(target.Threads.Distinct());
        }

        Assert.Equal(3, targets.Select(t => t.Threads[0]).Distinct().Count());
    }

    [Fact]
    public void Posting_and_handing_on_allocate_nothing()
    {
        const int Measured = 1000;
        var target = new Recorder(0, 2 * Measured);
        var payload = new byte[164];
        long writerStart = 0;
        long writerEnd = -1;
        var delivered = 0;
        using var done = new ManualResetEventSlim();
        using var writers = new ConnectionWriters<Recorder>(1, 4096, (t, p, audio) =>
        {
            var n = ++delivered;
            if (n == Measured + 1)
            {
                writerStart = GC.GetAllocatedBytesForCurrentThread();
            }
            else if (n == 2 * Measured)
            {
                writerEnd = GC.GetAllocatedBytesForCurrentThread();
                done.Set();
            }
        });

        // Warm-up: the threads' first waits and wake-ups.
        for (var i = 0; i < Measured; i++)
        {
            writers.Post(target.Number, target, payload, audio: true);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Measured; i++)
        {
            writers.Post(target.Number, target, payload, audio: true);
        }

        var posting = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(done.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, posting);
        Assert.Equal(0, writerEnd - writerStart);
    }

    [Fact]
    public void A_connection_whose_socket_is_full_holds_up_no_other_connection_on_its_writer()
    {
        var fullWire = new HeldChannel { Keep = false };
        var freeWire = new HeldChannel { Keep = false };
        using var full = BadgeConnectionTests.Connection(fullWire, MqttProtocolVersion.V311, "anna");
        using var free = BadgeConnectionTests.Connection(freeWire, MqttProtocolVersion.V311, "ben");
        var written = new Dictionary<BadgeConnection, int> { [full] = 0, [free] = 0 };
        var refused = new Dictionary<BadgeConnection, int> { [full] = 0, [free] = 0 };
        var payload = new byte[164];
        fullWire.Hold();

        using (var writers = new ConnectionWriters<BadgeConnection>(1, 256, (connection, frame, audio) =>
        {
            if (connection.TryWriteAudio(frame))
            {
                written[connection]++;
            }
            else
            {
                refused[connection]++; // the route would queue it in the session
            }
        }))
        {
            for (var i = 0; i < 100; i++)
            {
                writers.Post(full.Number, full, payload, audio: true);
                writers.Post(free.Number, free, payload, audio: true);
            }
        }

        // Everything was handed on while the full socket's first write was still unfinished.
        Assert.Equal(100, written[free]);
        Assert.Equal(0, refused[free]);
        Assert.Equal(1, written[full]);
        Assert.Equal(99, refused[full]);
        Assert.Equal(100, freeWire.Count);
        Assert.Equal(1, fullWire.Count);
        fullWire.Release();
    }

    [Fact]
    public void After_stopping_nothing_more_is_taken()
    {
        var target = new Recorder(0, 1);
        var writers = new ConnectionWriters<Recorder>(2, 16, (t, p, audio) => t.Take(p, audio));
        writers.Dispose();

        Assert.False(writers.Post(target.Number, target, BitConverter.GetBytes(0), audio: true));
        Assert.Empty(target.Sequence);
    }

    /// <summary>A connection stand-in: what it was handed, in order, and on which threads.</summary>
    private sealed class Recorder(int number, int capacity)
    {
        public int Number => number;

        public List<int> Sequence { get; } = new(capacity);

        public List<bool> Kinds { get; } = new(capacity);

        public List<int> Threads { get; } = new(capacity);

        public void Take(byte[] payload, bool audio)
        {
            Sequence.Add(BitConverter.ToInt32(payload));
            Kinds.Add(audio);
            Threads.Add(Environment.CurrentManagedThreadId);
        }
    }
}
