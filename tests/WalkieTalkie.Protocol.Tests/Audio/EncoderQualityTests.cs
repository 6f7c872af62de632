using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Tests.Audio.Support;
using Xunit.Abstractions;

namespace WalkieTalkie.Protocol.Tests.Audio;

/// <summary>
/// Encode-then-decode quality on espeak-ng speech, against floors stated in docs/audio.md, and the gateway
/// encoder against sox's own IMA ADPCM encoder on the same input, measured live.
/// </summary>
public sealed class EncoderQualityTests(ITestOutputHelper output)
{
    // Floors a little under what was measured (docs/audio.md), so a regression of a few tenths of a dB fails.
    // Measured: badge 18.41 / 24.17 dB, gateway 19.90 / 26.24 dB, sox 18.93 / 24.71 dB (8 / 16 kHz).
    private const double BadgeFloor8k = 18.0;
    private const double BadgeFloor16k = 23.7;
    private const double GatewayFloor8k = 19.5;
    private const double GatewayFloor16k = 25.8;

    [Theory]
    [InlineData(8000, BadgeFloor8k, GatewayFloor8k)]
    [InlineData(16000, BadgeFloor16k, GatewayFloor16k)]
    public void Speech_round_trip_is_above_the_floor_and_the_gateway_beats_sox(int rate, double badgeFloor, double gatewayFloor)
    {
        var clip = TestClips.Get("speech", rate);

        double badge = SignalToNoise.Decibels(clip.Samples, RoundTrip(clip, new ImaAdpcmEncoder().EncodeBlock));
        double gateway = SignalToNoise.Decibels(clip.Samples, RoundTrip(clip, new ImaAdpcmTrellisEncoder().EncodeBlock));

        string soxWav = TestClips.Scratch("sox.wav");
        AudioTools.SoxEncodeImaAdpcm(clip.RawPath, rate, soxWav);
        double sox = SignalToNoise.Decibels(clip.Samples, AdpcmWavFile.Decode(File.ReadAllBytes(soxWav)));

        output.WriteLine($"{clip}: badge (greedy) {badge:F2} dB, gateway (trellis) {gateway:F2} dB, sox {sox:F2} dB");
        Assert.True(badge >= badgeFloor, $"badge encoder {badge:F2} dB < floor {badgeFloor} dB");
        Assert.True(gateway >= gatewayFloor, $"gateway encoder {gateway:F2} dB < floor {gatewayFloor} dB");
        Assert.True(gateway >= sox, $"gateway encoder {gateway:F2} dB < sox's encoder {sox:F2} dB");
    }

    private static short[] RoundTrip(Clip clip, AdpcmWavFile.BlockEncoder encoder) =>
        AdpcmWavFile.Decode(AdpcmWavFile.Encode(clip.Samples, clip.Rate, ImaAdpcm.DefaultSamplesPerBlock, encoder));
}
