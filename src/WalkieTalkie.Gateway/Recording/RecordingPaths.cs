namespace WalkieTalkie.Gateway.Recording;

/// <summary>Where a burst's file goes: <c>{root}/ch{channel}/{yyyy-MM-dd}/{burst id}-{badge}.wtr</c> (<see cref="RecordingFormat"/>).</summary>
public static class RecordingPaths
{
    public static string For(string root, byte channel, uint burstId, string badgeId, DateTimeOffset startedAt) =>
        Path.Combine(root, $"ch{channel}", startedAt.UtcDateTime.ToString("yyyy-MM-dd"), $"{burstId:D8}-{badgeId}{RecordingFormat.Extension}");
}
