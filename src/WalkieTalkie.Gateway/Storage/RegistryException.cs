namespace WalkieTalkie.Gateway.Storage;

/// <summary>A registry change that cannot be made (unknown badge, duplicate id, bad value), with a message for the user.</summary>
public sealed class RegistryException(string message) : Exception(message);
