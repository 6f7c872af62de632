using System.Buffers.Binary;

namespace WalkieTalkie.Protocol.Tests.Audio.Support;

/// <summary>Raw signed 16-bit little-endian mono audio files, the format the tools are asked to read and write.</summary>
public static class Pcm16
{
    public static short[] ReadRaw(string path) => FromBytes(File.ReadAllBytes(path));

    public static void WriteRaw(string path, short[] samples) => File.WriteAllBytes(path, ToBytes(samples));

    public static short[] FromBytes(ReadOnlySpan<byte> bytes)
    {
        var samples = new short[bytes.Length / 2];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.Slice(i * 2));
        }

        return samples;
    }

    public static byte[] ToBytes(short[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), samples[i]);
        }

        return bytes;
    }
}
