namespace WalkieTalkie.Gateway.Sites.Discovery;

/// <summary>A Matrix OpenID token of the granter account (proves the account to whoever asks its homeserver).</summary>
public sealed record OpenIdToken(string AccessToken, string ServerName);
