namespace WalkieTalkie.Gateway.Bursts;

/// <summary>
/// Who talks in a burst: a badge, the sender of a Matrix voice message that the gateway plays to the badges, or a
/// talker at another site of the room (heard live over the site link). The floor and the recordings know a talker by
/// its <see cref="Key"/>: a badge's id, <c>matrix:</c> and the sender's name, or <c>site:</c>, the other gateway's id, a
/// slash and the talker's name. Badge ids are lowercase letters, digits and dashes, so a colon never names a badge and
/// the three cannot meet.
/// </summary>
public readonly record struct Talker
{
    /// <summary>What starts the key of a Matrix sender (the recordings' <c>badge_id</c> column holds keys).</summary>
    public const string MatrixPrefix = "matrix:";

    /// <summary>What starts the key of a talker at another site.</summary>
    public const string SitePrefix = "site:";

    private Talker(bool isBadge, string name, string? matrixUserId, string? site = null)
    {
        IsBadge = isBadge;
        Name = name;
        MatrixUserId = matrixUserId;
        Site = site;
    }

    /// <summary>A badge is talking (it has a session to tell things to).</summary>
    public bool IsBadge { get; }

    /// <summary>The badge's id, or the Matrix sender's display name.</summary>
    public string Name { get; }

    /// <summary>The Matrix sender's user id, where the bridge told it (what a private reply to them needs); null for a badge.</summary>
    public string? MatrixUserId { get; }

    /// <summary>The id of the other gateway whose talker this is; null for a talker here.</summary>
    public string? Site { get; }

    /// <summary>A talker at another site: heard here live, recorded and posted by its own gateway.</summary>
    public bool IsRemote => Site is not null;

    /// <summary>How the floor and the recordings name the talker.</summary>
    public string Key => IsBadge ? Name : IsRemote ? SitePrefix + Site + "/" + Name : MatrixPrefix + Name;

    /// <summary>The talker part of a recording's file name (display names may hold anything).</summary>
    public string FileName => IsBadge ? Name : IsRemote ? "remote" : "matrix";

    public static Talker Badge(string badgeId) => new(true, badgeId, null);

    public static Talker Matrix(string displayName, string? userId = null) => new(false, displayName, userId);

    /// <summary>A talker at the site of gateway <paramref name="site"/>, shown as <paramref name="displayName"/>.</summary>
    public static Talker Remote(string site, string displayName) => new(false, displayName, null, site);

    /// <summary>The talker a floor holder's or a recording's key names (with the Matrix user id where one was kept).</summary>
    public static Talker FromKey(string key, string? matrixUserId = null)
    {
        if (key.StartsWith(MatrixPrefix, StringComparison.Ordinal))
        {
            return Matrix(key[MatrixPrefix.Length..], matrixUserId);
        }

        var slash = key.IndexOf('/');
        return key.StartsWith(SitePrefix, StringComparison.Ordinal) && slash > SitePrefix.Length
            ? Remote(key[SitePrefix.Length..slash], key[(slash + 1)..])
            : Badge(key);
    }

    public override string ToString() => Key;
}
