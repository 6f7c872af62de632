namespace WalkieTalkie.Bridge.Outgoing;

/// <summary>A burst the gateway has finished recording, as the gateway's recorder reports it.</summary>
/// <param name="Channel">The channel name.</param>
/// <param name="BadgeId">The talker's badge.</param>
/// <param name="BurstId">The MQTT burst id.</param>
/// <param name="StartedAt">When the burst began (the floor grant).</param>
/// <param name="FramesLost">Frames that never arrived.</param>
/// <param name="Incomplete">The talker's link or the gateway failed mid-burst.</param>
/// <param name="RecordingPath">The recording (IMA ADPCM WAV) the recorder wrote.</param>
public sealed record FinishedBurst(string Channel, string BadgeId, uint BurstId, DateTimeOffset StartedAt, int FramesLost,
    bool Incomplete, string RecordingPath)
{
    /// <summary>
    /// The outbox transaction id of this burst's voice message: fixed by the burst, so that whatever is retried
    /// after a restart is sent once (the outbox, and the homeserver per device, deduplicate by it).
    /// </summary>
    /// <remarks>A hash, so that any channel or badge name stays safe in a URL path.</remarks>
    public string TransactionId
    {
        get
        {
            var text = string.Join('\n', Channel, BadgeId, BurstId, StartedAt.ToUnixTimeMilliseconds());
            var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
            return "wt-burst-" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
        }
    }
}
