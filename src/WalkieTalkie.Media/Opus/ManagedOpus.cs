using Concentus;
using Concentus.Enums;

namespace WalkieTalkie.Media.Opus;

/// <summary>
/// The one place codecs are made. Concentus would otherwise probe for a native libopus and P/Invoke it when one
/// is installed, so the same burst would encode to different bytes on different machines: the managed codec is
/// forced before the first codec is created.
/// </summary>
internal static class ManagedOpus
{
    static ManagedOpus()
    {
        OpusCodecFactory.AttemptToUseNativeLibrary = false;
    }

    /// <summary>The sample rates an Opus encoder or decoder runs at.</summary>
    public static bool IsOpusRate(int rate) => rate is 8000 or 12000 or 16000 or 24000 or 48000;

    public static IOpusEncoder CreateEncoder(int rate, int channels, OpusApplication application)
    {
        OpusCodecFactory.AttemptToUseNativeLibrary = false;
        return OpusCodecFactory.CreateEncoder(rate, channels, application);
    }

    public static IOpusDecoder CreateDecoder(int rate, int channels)
    {
        OpusCodecFactory.AttemptToUseNativeLibrary = false;
        return OpusCodecFactory.CreateDecoder(rate, channels);
    }
}
