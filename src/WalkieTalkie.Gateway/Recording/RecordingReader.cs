using System.Buffers.Binary;
using System.Security.Cryptography;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Protocol.Audio;

namespace WalkieTalkie.Gateway.Recording;

/// <summary>
/// The one way recordings are read back (replays to badges, the Matrix bridge's voice messages, queued messages,
/// recovery after a kill, <c>walkie recording export</c>): a sealed recording (<see cref="RecordingFormat"/>) is
/// opened chunk by chunk and read up to the first chunk that is torn or does not authenticate, or to the zero tail of a
/// preallocated file cut short (<see cref="MappedRecordingFile"/>); a WAV written before
/// recordings were sealed is read as it is.
/// </summary>
public sealed class RecordingReader(RecordingKey key)
{
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="InvalidDataException">Not a recording, or not one this key opens.</exception>
    public RecordedAudio Read(string path) => Read(File.ReadAllBytes(path));

    /// <exception cref="InvalidDataException">Not a recording, or not one this key opens.</exception>
    public RecordedAudio Read(byte[] file)
    {
        if (file.AsSpan().StartsWith("RIFF"u8))
        {
            return ReadWav(file);
        }

        if (!RecordingFormat.TryReadHeader(file, out var sampleRate, out var blockBytes))
        {
            throw new InvalidDataException(file.Length == 0 ? "an empty file (cut before its first frame)" : "not a recording");
        }

        var header = file.AsSpan(0, RecordingFormat.HeaderLength);
        using var aes = key.ForFile(RecordingFormat.Salt(header));
        var blocks = new MemoryStream();
        Span<byte> nonce = stackalloc byte[RecordingFormat.NonceLength];
        var at = RecordingFormat.HeaderLength;
        var finished = false;
        for (long index = 0; !finished && file.Length - at >= RecordingFormat.ChunkOverhead; index++)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at));
            if (length == 0 && !file.AsSpan(at + RecordingFormat.LengthBytes, RecordingKey.TagLength).ContainsAnyExcept((byte)0))
            {
                break; // the zero tail of a mapped file cut short: never written (every chunk's tag is set before its length)
            }

            if (length > RecordingFormat.MaxChunkLength || length % blockBytes != 0 || file.Length - at - RecordingFormat.ChunkOverhead < length)
            {
                break; // torn at the end, or damaged
            }

            var ciphertext = file.AsSpan(at + RecordingFormat.LengthBytes, (int)length);
            var tag = file.AsSpan(at + RecordingFormat.LengthBytes + (int)length, RecordingKey.TagLength);
            var plaintext = new byte[length];
            if (Open(aes, nonce, index, ciphertext, tag, plaintext, header, final: false))
            {
                blocks.Write(plaintext);
            }
            else if (Open(aes, nonce, index, ciphertext, tag, plaintext, header, final: true))
            {
                blocks.Write(plaintext);
                finished = true;
            }
            else if (index == 0)
            {
                throw new InvalidDataException("the recording does not open with this recording key (another key, or damaged)");
            }
            else
            {
                break;
            }

            at += RecordingFormat.ChunkOverhead + (int)length;
        }

        return new RecordedAudio(sampleRate, blockBytes, blocks.ToArray(), finished, at, Sealed: true);
    }

    private static bool Open(AesGcm aes, Span<byte> nonce, long index, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, byte[] plaintext,
        ReadOnlySpan<byte> header, bool final)
    {
        RecordingFormat.Nonce(nonce, index, final);
        try
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext, header);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private static RecordedAudio ReadWav(byte[] file)
    {
        var info = new WavInfo();
        var error = WavReader.Read(file, file.Length, info);
        if (error != WavError.Ok || !info.IsImaAdpcm || info.BlockAlign <= 0 || ImaAdpcm.SamplesPerBlockFor(info.BlockAlign) <= 0)
        {
            throw new InvalidDataException(error != WavError.Ok ? $"not a readable WAV (WAV error {error})" : "a WAV, but not IMA ADPCM");
        }

        var whole = info.DataLength / info.BlockAlign * info.BlockAlign;
        return new RecordedAudio(info.SampleRate, info.BlockAlign, file.AsSpan(info.DataOffset, whole).ToArray(), !info.DataSizeInferred,
            info.DataOffset + whole, Sealed: false);
    }
}
