using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// One thread ("walkie receive") waiting in epoll for the badge sockets of every <see cref="LoopSocketStream"/> in the
/// process, in place of .NET's socket engine, which hands every completed receive to the thread pool: per audio frame
/// that was a pool work item and two wake-ups (the item's, and the one the pool adds for parallelism) before MQTTnet's
/// receive loop went on. Here a readable socket is read on this thread and the stream's pending read completed on it;
/// what runs then (SslStream's decryption, MQTTnet's receive loop, the uplink interception, the engine's Post) is
/// described at <see cref="LoopSocketStream"/>. Each socket is registered once, edge-triggered, for input and output:
/// an edge comes when data arrives, and for output only after a send found the socket full, so no event repeats and
/// none needs re-arming. Linux only (<see cref="IsSupported"/>); elsewhere the listener keeps <c>NetworkStream</c>.
/// </summary>
internal sealed class ReceiveLoop
{
    private const int Batch = 256;
    private static readonly Lazy<ReceiveLoop> s_shared = new(() => new ReceiveLoop(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly int _epoll;
    private readonly Lock _slotsLock = new();
    private readonly Stack<int> _freeSlots = new();
    private LoopSocketStream?[] _slots = new LoopSocketStream?[64];
    private int _usedSlots;
    private uint _generation;

    private ReceiveLoop()
    {
        _epoll = Epoll.Create();
        new Thread(Run) { IsBackground = true, Name = "walkie receive" }.Start();
    }

    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The process's loop, started on first use; it lives as long as the process.</summary>
    public static ReceiveLoop Shared => s_shared.Value;

    /// <summary>
    /// Watches <paramref name="fd"/> for <paramref name="stream"/>; returns the stream's key (its slot, and a generation
    /// so that an event still in a batch for a slot since reused finds no one).
    /// </summary>
    public ulong Register(LoopSocketStream stream, nint fd)
    {
        ulong key;
        int slot;
        lock (_slotsLock)
        {
            slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _usedSlots++;
            if (slot == _slots.Length)
            {
                var grown = new LoopSocketStream?[_slots.Length * 2];
                _slots.CopyTo(grown, 0);
                Volatile.Write(ref _slots, grown);
            }

            key = ((ulong)++_generation << 32) | (uint)slot;
            _slots[slot] = stream;
        }

        var error = Epoll.Register(_epoll, fd, Epoll.In | Epoll.Out | Epoll.ReadHangUp | Epoll.EdgeTriggered, key);
        if (error != 0)
        {
            Free(slot);
            throw new System.Net.Sockets.SocketException(error);
        }

        return key;
    }

    /// <summary>Stops watching <paramref name="fd"/>, which must still be open.</summary>
    public void Unregister(nint fd, ulong key)
    {
        Epoll.Unregister(_epoll, fd);
        Free((int)(uint)key);
    }

    private void Free(int slot)
    {
        lock (_slotsLock)
        {
            _slots[slot] = null;
            _freeSlots.Push(slot);
        }
    }

    // Entered once and never left: compiled optimised from the start, since tiering would leave it at its first tier.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void Run()
    {
        var size = Epoll.EventSize;
        var dataOffset = Epoll.DataOffset;
        var events = (byte*)NativeMemory.Alloc((nuint)(Batch * size));
        while (true)
        {
            var count = Epoll.Wait(_epoll, events, Batch);
            if (count < 0)
            {
                if (-count == Epoll.Interrupted)
                {
                    continue;
                }

                throw new InvalidOperationException($"epoll_wait failed: errno {-count}");
            }

            for (var i = 0; i < count; i++)
            {
                var item = events + (i * size);
                var key = Unsafe.ReadUnaligned<ulong>(item + dataOffset);
                var slot = (int)(uint)key;
                var slots = Volatile.Read(ref _slots);
                var stream = slot < slots.Length ? Volatile.Read(ref slots[slot]) : null;
                if (stream is not null && stream.Key == key)
                {
                    try
                    {
                        stream.OnReady(Unsafe.ReadUnaligned<uint>(item));
                    }
                    catch (Exception)
                    {
                        // A continuation's failure belongs to its connection (its task holds it); the loop serves the rest.
                    }
                }
            }
        }
    }
}
