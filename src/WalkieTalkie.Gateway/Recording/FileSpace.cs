using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// Reserves a file's blocks on the disk (Linux <c>fallocate</c>), so that a write through a memory mapping of it never
/// needs space the disk may not have: a shared mapping written where the filesystem then finds no room kills the
/// process (SIGBUS), where a write would only have failed.
/// </summary>
internal static class FileSpace
{
    private const int Interrupted = 4; // EINTR

    /// <summary>Allocates <paramref name="length"/> bytes from <paramref name="offset"/>, the file growing to their end.</summary>
    /// <exception cref="IOException">The disk is full, or the filesystem cannot reserve space (it is then not mapped).</exception>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    public static void Reserve(SafeFileHandle file, long offset, long length)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("space is reserved on Linux only");
        }

        int result;
        do
        {
            // fallocate64 on 32-bit (a 64-bit offset); the plain name on 64-bit, where musl has no *64 names.
            result = Environment.Is64BitProcess ? Allocate(file, 0, offset, length) : Allocate64(file, 0, offset, length);
        }
        while (result != 0 && Marshal.GetLastPInvokeError() == Interrupted);

        if (result != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot reserve {length} bytes for the recording: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
        }
    }

    [DllImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static extern int Allocate(SafeFileHandle file, int mode, long offset, long length);

    [DllImport("libc", EntryPoint = "fallocate64", SetLastError = true)]
    private static extern int Allocate64(SafeFileHandle file, int mode, long offset, long length);
}
