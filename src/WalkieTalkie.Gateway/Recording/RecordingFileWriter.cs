using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// Writes one recording in the <see cref="RecordingFormat"/>: the header once the block length is known, a sealed
/// chunk per <see cref="Append"/> (handed to the stream in one write, so the file never holds half a chunk but at its
/// torn end), and the final chunk. Appending allocates nothing once its buffer has grown to the chunk size.
/// </summary>
public sealed class RecordingFileWriter(Stream file, RecordingKey key) : IDisposable
{
    private readonly RecordingSealer _sealer = new(key);

    public bool HasBegun => _sealer.HasBegun;

    /// <summary>Writes the header: the burst's rate and block length (fixed for the file), and a new random salt.</summary>
    public void Begin(int sampleRate, int blockBytes) => file.Write(_sealer.Begin(sampleRate, blockBytes));

    /// <summary>Seals <paramref name="blocks"/> (whole blocks) as the next chunk.</summary>
    public void Append(ReadOnlySpan<byte> blocks) => file.Write(_sealer.Seal(blocks, final: false));

    /// <summary>The final chunk: the recording is complete.</summary>
    public void End() => file.Write(_sealer.Seal([], final: true));

    public void Dispose() => _sealer.Dispose();

    /// <summary>
    /// Writes a whole recording at once (a queued voice message, a recovered burst): to a temporary file, forced to
    /// disk, then renamed over <paramref name="path"/>, so the file is there whole or not at all.
    /// </summary>
    public static void WriteFile(string path, RecordingKey key, int sampleRate, int blockBytes, ReadOnlySpan<byte> blocks)
    {
        var temporary = path + ".tmp";
        using (var file = OwnerOnly.Create(temporary))
        {
            using var writer = new RecordingFileWriter(file, key);
            writer.Begin(sampleRate, blockBytes);
            var perChunk = Math.Max(1, WholeFileChunk / blockBytes) * blockBytes;
            for (var at = 0; at < blocks.Length; at += perChunk)
            {
                writer.Append(blocks.Slice(at, Math.Min(perChunk, blocks.Length - at)));
            }

            writer.End();
            file.Flush(true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private const int WholeFileChunk = 64 * 1024;
}
