namespace WalkieTalkie.Provision.Provisioning;

/// <summary>What the gateway issues for a badge: its id, its secret (shown once) and the site's CA certificate (PEM).</summary>
public sealed record BadgeCredentials(string BadgeId, string Secret, string CaCertificatePem);
