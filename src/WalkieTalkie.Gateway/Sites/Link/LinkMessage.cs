namespace WalkieTalkie.Gateway.Sites.Link;

/// <summary>A text message of the site link (JSON, <c>type</c> names it); audio frames go as binary messages, unchanged.</summary>
public abstract record LinkMessage;

/// <summary>The dialing gateway's first message: who it is, the account that proves it, the rooms it links for.</summary>
public sealed record LinkHello(string GatewayId, string UserId, string AccessToken, string ServerName, IReadOnlyList<string> Rooms) : LinkMessage
{
    public const string Type = "hello";
}

/// <summary>The answer to a hello: the accepting gateway and the rooms it accepted (those it serves and the dialer announced in).</summary>
public sealed record LinkWelcome(string GatewayId, IReadOnlyList<string> Rooms) : LinkMessage
{
    public const string Type = "welcome";
}

/// <summary>Why the other side ends the link (it closes next).</summary>
public sealed record LinkRefused(string Reason) : LinkMessage
{
    public const string Type = "refused";
}

/// <summary>
/// A burst starts at the sender's site in a room both serve; its frames follow as binary messages. A phone's voice message
/// the sender plays into the floor names its room event (<paramref name="EventId"/>), so each site plays it once.
/// </summary>
public sealed record LinkBurstStart(string RoomId, uint BurstId, string Talker, int SampleRate, string? EventId = null) : LinkMessage
{
    public const string Type = "burst_start";
}

public sealed record LinkBurstEnd(uint BurstId) : LinkMessage
{
    public const string Type = "burst_end";
}

/// <summary>A message of a type this gateway does not know (a later version's): ignored.</summary>
public sealed record LinkUnknown(string TypeName) : LinkMessage;
