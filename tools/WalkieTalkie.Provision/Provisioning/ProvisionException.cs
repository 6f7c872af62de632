namespace WalkieTalkie.Provision.Provisioning;

/// <summary>Provisioning cannot go on; the message says what is missing or wrong. Nothing half-written is left behind.</summary>
public sealed class ProvisionException(string message) : Exception(message);
