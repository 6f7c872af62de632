using WalkieTalkie.Gateway.Bursts;

namespace WalkieTalkie.Gateway.Engine;

/// <summary>
/// A burst as observers see it; a voice message from Matrix names its room event (<paramref name="EventId"/>);
/// <paramref name="Sos"/>: an open emergency's burst (or its copy on the talker's other channels).
/// </summary>
public sealed record BurstInfo(byte Channel, uint BurstId, Talker Talker, DateTimeOffset StartedAt, int SampleRate, bool Priority, string? EventId = null,
    bool Sos = false);
