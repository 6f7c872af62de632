using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// A recording written through a plain file stream, on the storage worker only: each frame's chunk is one write
/// (where a recording cannot be mapped: not Linux, a filesystem that cannot reserve its space).
/// </summary>
internal sealed class StreamRecordingFile(FileStream file) : IRecordingFile
{
    /// <summary>Creates the file (0600), or empties it.</summary>
    public static StreamRecordingFile Create(string path) => new(OwnerOnly.Create(path, FileMode.Create, FileAccess.Write, FileShare.Read));

    public bool InMemory => false;

    public long Room => long.MaxValue;

    public bool RunningLow => false;

    public bool MakeRoom(long bytes) => true;

    public bool Grow() => true;

    public void WriteHeader(ReadOnlySpan<byte> header) => file.Write(header);

    public void WriteChunk(ReadOnlySpan<byte> chunk) => file.Write(chunk);

    public void HandOver() => file.Flush(false);

    public void FlushToDisk() => file.Flush(true);

    public void Close()
    {
        file.Flush(true);
        file.Dispose();
    }

    public void Dispose() => file.Dispose();
}
