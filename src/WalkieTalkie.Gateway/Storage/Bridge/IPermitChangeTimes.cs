namespace WalkieTalkie.Gateway.Storage.Bridge;

/// <summary>What the mirror last saw of one permit row, and when each half (grant, consent) last changed.</summary>
/// <param name="Offered">The offered bits (the grant).</param>
/// <param name="Accepted">The accepted bits (the consent).</param>
/// <param name="Until">Unix seconds, 0 for good.</param>
/// <param name="GrantChangedMs">When the grant last changed (ms since the epoch).</param>
/// <param name="ConsentChangedMs">When the consent last changed (ms since the epoch).</param>
public sealed record SeenPermit(byte Offered, byte Accepted, long Until, long GrantChangedMs, long ConsentChangedMs);

/// <summary>
/// When each half of a gateway permit (grant, consent) last changed, as the Matrix bridge's permit mirror noticed it:
/// the mirror needs the moments to tell the newer side of a difference between the room and the gateway.
/// </summary>
public interface IPermitChangeTimes
{
    /// <summary>The last seen state, or null when this badge and channel were never seen.</summary>
    SeenPermit? Find(string badgeId, string channel);

    /// <summary>
    /// Compares the row as it is now with what was seen, dates each changed half at <paramref name="nowMs"/>, saves and
    /// returns the result. A row never seen before is dated now when it holds something (the gateway's view wins at the
    /// first mirroring) and at 0 when it holds nothing (the room's view wins).
    /// </summary>
    SeenPermit Observe(string badgeId, string channel, byte offered, byte accepted, long until, long nowMs);

    void Save(string badgeId, string channel, SeenPermit seen);
}
