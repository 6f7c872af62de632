using System.Buffers.Binary;
using System.Security.Cryptography;
using WalkieTalkie.Gateway.Security;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// Seals one recording in the <see cref="RecordingFormat"/>, in order: the header once the block length is known, then
/// a chunk per call, each into a buffer of the sealer's own that the caller writes wherever it keeps the file (a stream,
/// or a memory-mapped file). Sealing allocates nothing once that buffer has grown to the chunk size.
/// </summary>
public sealed class RecordingSealer(RecordingKey key, bool preferSodium = true) : IDisposable
{
    private readonly byte[] _header = new byte[RecordingFormat.HeaderLength];
    private readonly byte[] _nonce = new byte[RecordingFormat.NonceLength];
    private FileSealingKey? _fileKey;
    private byte[] _chunk = new byte[1024];
    private long _index;

    public bool HasBegun => _fileKey is not null;

    /// <summary>Which AES-GCM seals the chunks, once begun (<see cref="FileSealingKey.Implementation"/>).</summary>
    public string? Implementation => _fileKey?.Implementation;

    /// <summary>The header: the burst's rate and block length (fixed for the file), and a new random salt.</summary>
    public ReadOnlySpan<byte> Begin(int sampleRate, int blockBytes)
    {
        if (_fileKey is not null)
        {
            throw new InvalidOperationException("the recording has begun");
        }

        Span<byte> salt = stackalloc byte[RecordingKey.SaltLength];
        RandomNumberGenerator.Fill(salt);
        RecordingFormat.WriteHeader(_header, sampleRate, blockBytes, salt);
        _fileKey = key.SealingFile(salt, preferSodium);
        return _header;
    }

    /// <summary>
    /// <paramref name="plaintext"/> (whole blocks) sealed as the next chunk: its length, ciphertext and tag, valid until
    /// the next call; <paramref name="final"/> for the last chunk (the recording is complete).
    /// </summary>
    public ReadOnlySpan<byte> Seal(ReadOnlySpan<byte> plaintext, bool final)
    {
        var fileKey = _fileKey ?? throw new InvalidOperationException("Begin first");
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
        fileKey.Seal(_nonce, plaintext, chunk[RecordingFormat.LengthBytes..], _header);
        return chunk;
    }

    public void Dispose() => _fileKey?.Dispose();
}
