using System.Runtime.InteropServices;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>Unix file modes in tests (the gateway's tests run on Linux), and the process's umask.</summary>
public static class FileModes
{
    public static UnixFileMode Of(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Unix file modes");
        }

        return File.GetUnixFileMode(path);
    }

    public static void Set(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Unix file modes");
        }

        File.SetUnixFileMode(path, mode);
    }

    /// <summary>Sets the process's umask (for every thread: only tests that run alone may call it); returns the previous one.</summary>
    public static uint SetUmask(uint mask) => umask(mask);

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint umask(uint mask);
}
