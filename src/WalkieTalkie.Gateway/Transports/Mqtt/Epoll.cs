using System.Runtime.InteropServices;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// Linux's epoll, for <see cref="ReceiveLoop"/>. <c>struct epoll_event</c> is a 32-bit event mask and a 64-bit datum:
/// packed (12 bytes) on x86 and x86_64, naturally aligned (16 bytes) elsewhere, arm64 and arm included; the events are
/// therefore read and written as bytes at <see cref="DataOffset"/> and <see cref="EventSize"/>.
/// </summary>
internal static partial class Epoll
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Error = 0x008;
    public const uint HangUp = 0x010;
    public const uint ReadHangUp = 0x2000;
    public const uint EdgeTriggered = 1u << 31;

    private const int CloseOnExec = 0x80000;
    private const int Add = 1;
    private const int Delete = 2;
    public const int Interrupted = 4; // EINTR

    private static readonly bool s_packed = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

    /// <summary>Where the datum sits in an event.</summary>
    public static int DataOffset => s_packed ? 4 : 8;

    /// <summary>One event's size in the array epoll_wait fills.</summary>
    public static int EventSize => s_packed ? 12 : 16;

    public static int Create()
    {
        var epoll = epoll_create1(CloseOnExec);
        return epoll >= 0 ? epoll : throw new InvalidOperationException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public static unsafe int Register(int epoll, nint fd, uint events, ulong data)
    {
        var item = stackalloc byte[16];
        *(uint*)item = events;
        *(ulong*)(item + DataOffset) = data;
        return epoll_ctl(epoll, Add, (int)fd, item) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Removes <paramref name="fd"/>: to be called while it is still open (a closed one's number may be another's already).</summary>
    public static unsafe void Unregister(int epoll, nint fd)
    {
        var item = stackalloc byte[16]; // ignored by Linux since 2.6.9, but not null
        epoll_ctl(epoll, Delete, (int)fd, item);
    }

    /// <summary>Waits for events into <paramref name="events"/> (<see cref="EventSize"/> bytes each): their count, or -errno.</summary>
    public static unsafe int Wait(int epoll, byte* events, int capacity)
    {
        var count = epoll_wait(epoll, events, capacity, -1);
        return count >= 0 ? count : -Marshal.GetLastPInvokeError();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int epoll_ctl(int epfd, int op, int fd, byte* item);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);
}
