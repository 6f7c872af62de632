using Concentus.Enums;
using WalkieTalkie.Media.Opus;

namespace WalkieTalkie.Media.Tests.Opus;

/// <summary>
/// Concentus picks a native libopus when one is installed (this machine has libopus0, which opus-tools needs):
/// ours must be the managed codec, so that one burst gives the same bytes everywhere.
/// </summary>
public sealed class ManagedCodecTests
{
    [Fact]
    public void The_codecs_are_Concentus_managed_ones_even_with_libopus_installed()
    {
        var encoder = ManagedOpus.CreateEncoder(16000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        var decoder = ManagedOpus.CreateDecoder(48000, 2);
        Assert.Equal("Concentus.Structs.OpusEncoder", encoder.GetType().FullName);
        Assert.Equal("Concentus.Structs.OpusDecoder", decoder.GetType().FullName);
    }
}
