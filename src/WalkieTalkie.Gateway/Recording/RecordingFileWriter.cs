using System.Buffers.Binary;
using System.Security.Cryptography;
using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// Writes one recording in the <see cref="RecordingFormat"/>: the header once the block length is known, a sealed
/// chunk per <see cref="Append"/> (handed to the stream in one write, so the file never holds half a chunk but at its
/// torn end), and the final chunk. Appending allocates nothing once its buffer has grown to the chunk size.
/// </summary>
public sealed class RecordingFileWriter(Stream file, RecordingKey key) : IDisposable
{
    private readonly byte[] _header = new byte[RecordingFormat.HeaderLength];
    private readonly byte[] _nonce = new byte[RecordingFormat.NonceLength];
    private AesGcm? _aes;
    private byte[] _chunk = new byte[1024];
    private long _index;

    public bool HasBegun => _aes is not null;

    /// <summary>Writes the header: the burst's rate and block length (fixed for the file), and a new random salt.</summary>
    public void Begin(int sampleRate, int blockBytes)
    {
        if (_aes is not null)
        {
            throw new InvalidOperationException("the recording has begun");
        }

        Span<byte> salt = stackalloc byte[RecordingKey.SaltLength];
        RandomNumberGenerator.Fill(salt);
        RecordingFormat.WriteHeader(_header, sampleRate, blockBytes, salt);
        _aes = key.ForFile(salt);
        file.Write(_header);
    }

    /// <summary>Seals <paramref name="blocks"/> (whole blocks) as the next chunk.</summary>
    public void Append(ReadOnlySpan<byte> blocks) => WriteChunk(blocks, final: false);

    /// <summary>The final chunk: the recording is complete.</summary>
    public void End() => WriteChunk([], final: true);

    private void WriteChunk(ReadOnlySpan<byte> plaintext, bool final)
    {
        var aes = _aes ?? throw new InvalidOperationException("Begin first");
        if (plaintext.Length > RecordingFormat.MaxChunkLength)
        {
            throw new ArgumentException($"a chunk is at most {RecordingFormat.MaxChunkLength} bytes", nameof(plaintext));
        }

        var length = plaintext.Length + RecordingFormat.ChunkOverhead;
        if (_chunk.Length < length)
        {
            _chunk = new byte[Math.Max(length, _chunk.Length * 2)];
        }

        var chunk = _chunk.AsSpan(0, length);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk, (uint)plaintext.Length);
        RecordingFormat.Nonce(_nonce, _index++, final);
        aes.Encrypt(_nonce, plaintext, chunk.Slice(RecordingFormat.LengthBytes, plaintext.Length), chunk[^RecordingKey.TagLength..], _header);
        file.Write(chunk);
    }

    public void Dispose() => _aes?.Dispose();

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
