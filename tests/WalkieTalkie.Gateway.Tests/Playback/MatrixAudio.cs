using WalkieTalkie.Bridge.Ports;

namespace WalkieTalkie.Gateway.Tests.Playback;

/// <summary>Voice messages as the media pipeline hands them over: 164-byte IMA ADPCM blocks, each recognisable.</summary>
public static class MatrixAudio
{
    public const int BlockBytes = 164;

    /// <summary><paramref name="blocks"/> blocks; block i carries <paramref name="tag"/> and i in its first codes.</summary>
    public static ChannelAudio Message(int blocks, byte tag, int sampleRate = 8000)
    {
        var list = new List<byte[]>();
        for (var i = 0; i < blocks; i++)
        {
            var block = new byte[BlockBytes];
            block[2] = 10; // step index
            block[4] = tag;
            block[5] = (byte)i;
            block[6] = (byte)(i >> 8);
            for (var j = 7; j < BlockBytes; j++)
            {
                block[j] = (byte)(tag + i * 3 + j);
            }

            list.Add(block);
        }

        return new ChannelAudio(sampleRate, list, blocks * 321L * 1000 / sampleRate);
    }

    /// <summary>The blocks carried by received frames, in order.</summary>
    public static List<byte[]> BlocksOf(IEnumerable<byte[]> frames)
    {
        var reader = new WalkieTalkie.Protocol.Frames.AudioFrame();
        var blocks = new List<byte[]>();
        foreach (var payload in frames)
        {
            Assert.Equal(WalkieTalkie.Protocol.ProtocolError.None, reader.Read(payload, 0, payload.Length));
            for (var b = 0; b < reader.BlockCount; b++)
            {
                blocks.Add(payload.AsSpan(reader.BlockOffset(b), reader.BlockBytes).ToArray());
            }
        }

        return blocks;
    }
}
