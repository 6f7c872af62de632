using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;
using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// A burst's recording file, its disk space reserved ahead (<see cref="RecordingSpace"/>) and mapped into memory
/// (shared), so that appending a frame is a copy into the page cache: no system call and no wake-up of the storage
/// worker, and nothing that waits on the disk (the kernel writes the pages back in its own time), yet a kill of the
/// process loses none of it, as the pages are the file's. The engine's thread appends within the room there is; the
/// storage worker makes the file, grows it (a larger mapping, published for the engine to use from its next frame; the
/// older ones stay mapped until the file is closed) and closes it, cut to its length. A file cut short by a kill has
/// a tail of zeros after its last chunk, which the <see cref="RecordingReader"/> reads as a torn end.
/// </summary>
internal sealed class MappedRecordingFile : IRecordingFile
{
    public delegate void Reservation(SafeFileHandle file, long offset, long length);

    private readonly FileStream _file;
    private readonly RecordingSpace _space;
    private readonly Reservation _reserve;
    private readonly List<IDisposable> _mapped = [];
    private Mapping _mapping = null!;
    private long _length;

    private MappedRecordingFile(FileStream file, RecordingSpace space, Reservation reserve)
    {
        _file = file;
        _space = space;
        _reserve = reserve;
    }

    /// <summary>Makes the file (0600, emptied if it was there), reserves its first space and maps it.</summary>
    /// <exception cref="IOException">No room on the disk, or a filesystem that cannot reserve space or be mapped.</exception>
    public static MappedRecordingFile Create(string path, RecordingSpace space, Reservation? reserve = null)
    {
        var file = OwnerOnly.Create(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var mapped = new MappedRecordingFile(file, space, reserve ?? FileSpace.Reserve);
            mapped.Extend(space.Initial);
            return mapped;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public bool InMemory => true;

    public long Room => Volatile.Read(ref _mapping).Capacity - _length;

    public bool RunningLow => Room < _space.GrowWhenLeft;

    /// <summary>The bytes appended so far.</summary>
    public long Length => _length;

    public bool MakeRoom(long bytes)
    {
        var capacity = Volatile.Read(ref _mapping).Capacity;
        return _length + bytes <= capacity || TryExtend(Math.Max(capacity + _space.Step, _length + bytes));
    }

    public bool Grow() => TryExtend(Volatile.Read(ref _mapping).Capacity + _space.Step);

    public void WriteHeader(ReadOnlySpan<byte> header)
    {
        Write(_length, header);
        _length += header.Length;
    }

    public void WriteChunk(ReadOnlySpan<byte> chunk)
    {
        // Its length last: until then the chunk reads as the zero tail of a file cut short, never as half a chunk.
        Write(_length + RecordingFormat.LengthBytes, chunk[RecordingFormat.LengthBytes..]);
        Write(_length, chunk[..RecordingFormat.LengthBytes]);
        _length += chunk.Length;
    }

    public void HandOver()
    {
        // Written into the page cache already.
    }

    /// <summary>An fsync writes back the pages written through the mapping too (they are the file's page cache).</summary>
    public void FlushToDisk() => _file.Flush(true);

    public void Close()
    {
        Unmap();
        _file.SetLength(_length);
        _file.Flush(true);
        _file.Dispose();
    }

    public void Dispose()
    {
        Unmap();
        _file.Dispose();
    }

    private void Write(long at, ReadOnlySpan<byte> bytes)
    {
        var view = Volatile.Read(ref _mapping).View;
        view.SafeMemoryMappedViewHandle.WriteSpan((ulong)(view.PointerOffset + at), bytes);
    }

    private bool TryExtend(long capacity)
    {
        try
        {
            Extend(capacity);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private void Extend(long capacity)
    {
        var current = _mapping?.Capacity ?? 0;
        _reserve(_file.SafeFileHandle, current, capacity - current);
        var map = MemoryMappedFile.CreateFromFile(_file, null, capacity, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        _mapped.Add(map);
        var view = map.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.ReadWrite);
        _mapped.Add(view);
        Volatile.Write(ref _mapping, new Mapping(view, capacity));
    }

    private void Unmap()
    {
        foreach (var mapped in _mapped)
        {
            mapped.Dispose();
        }

        _mapped.Clear();
    }

    private sealed record Mapping(MemoryMappedViewAccessor View, long Capacity);
}
