namespace WalkieTalkie.Gateway.Quiet;

/// <summary>What a quiet-hours schedule silences: one badge on every channel, or every badge on one channel.</summary>
public enum QuietScope
{
    Badge,
    Channel,
}
