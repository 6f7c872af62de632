namespace WalkieTalkie.TestHomeserver.State;

/// <summary>An OpenID token: the user it names and when it stops working (Synapse stores nothing else).</summary>
internal sealed record OpenIdToken(string UserId, long ExpiresAtMs);
