namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// Where a <see cref="BurstRecorder"/> puts a burst's bytes, in order: a plain file written through a stream
/// (<see cref="StreamRecordingFile"/>, storage worker only), or a preallocated file mapped into memory
/// (<see cref="MappedRecordingFile"/>), which the engine's thread may also append to within its <see cref="Room"/>.
/// </summary>
internal interface IRecordingFile : IDisposable
{
    /// <summary>Appending is a copy into memory (the page cache) that never waits on the disk: the engine's thread may do it.</summary>
    bool InMemory { get; }

    /// <summary>Bytes that can be appended without growing the file.</summary>
    long Room { get; }

    /// <summary>The room left is under what is kept ahead: the storage worker should grow the file (<see cref="Grow"/>).</summary>
    bool RunningLow { get; }

    /// <summary>Storage worker only: makes room for <paramref name="bytes"/> more; false when the disk has none.</summary>
    bool MakeRoom(long bytes);

    /// <summary>Storage worker only: grows the file by a step ahead of need; false when the disk has no room.</summary>
    bool Grow();

    /// <summary>Appends the recording's header.</summary>
    void WriteHeader(ReadOnlySpan<byte> header);

    /// <summary>Appends a sealed chunk (its length, ciphertext and tag) so that it is never seen half-written but at a torn end.</summary>
    void WriteChunk(ReadOnlySpan<byte> chunk);

    /// <summary>After each frame: what is appended is handed to the operating system, so a kill of the process loses none of it.</summary>
    void HandOver();

    /// <summary>Storage worker only: forces what is appended to the disk.</summary>
    void FlushToDisk();

    /// <summary>Storage worker only: the file ends after the last byte appended, forced to disk, and is closed.</summary>
    void Close();
}
