namespace WalkieTalkie.Gateway.Storage;

/// <summary>The configured database could not be opened (a PostgreSQL server that does not answer or refuses the login).</summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);
