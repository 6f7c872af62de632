namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// Who talks in a burst: a badge, or the sender of a Matrix voice message that the gateway plays to the badges. The
/// floor and the recordings know a talker by its <see cref="Key"/>: a badge's id, or <c>matrix:</c> and the sender's
/// name. Badge ids are lowercase letters, digits and dashes, so a colon never names a badge and the two cannot meet.
/// </summary>
public readonly record struct Talker
{
    /// <summary>What starts the key of a Matrix sender (the recordings' <c>badge_id</c> column holds keys).</summary>
    public const string MatrixPrefix = "matrix:";

    private Talker(bool isBadge, string name, string? matrixUserId)
    {
        IsBadge = isBadge;
        Name = name;
        MatrixUserId = matrixUserId;
    }

    /// <summary>A badge is talking (it has a session to tell things to).</summary>
    public bool IsBadge { get; }

    /// <summary>The badge's id, or the Matrix sender's display name.</summary>
    public string Name { get; }

    /// <summary>The Matrix sender's user id, where the bridge told it (what a private reply to them needs); null for a badge.</summary>
    public string? MatrixUserId { get; }

    /// <summary>How the floor and the recordings name the talker.</summary>
    public string Key => IsBadge ? Name : MatrixPrefix + Name;

    /// <summary>The talker part of a recording's file name (display names may hold anything).</summary>
    public string FileName => IsBadge ? Name : "matrix";

    public static Talker Badge(string badgeId) => new(true, badgeId, null);

    public static Talker Matrix(string displayName, string? userId = null) => new(false, displayName, userId);

    /// <summary>The talker a floor holder's or a recording's key names (with the Matrix user id where one was kept).</summary>
    public static Talker FromKey(string key, string? matrixUserId = null) =>
        key.StartsWith(MatrixPrefix, StringComparison.Ordinal) ? Matrix(key[MatrixPrefix.Length..], matrixUserId) : Badge(key);

    public override string ToString() => Key;
}
