using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Engine;

/// <summary>
/// The registry snapshot the engine works with, for those who read it from other threads (a transport's
/// authenticator, the badge config endpoint). Only the engine replaces it.
/// </summary>
public sealed class CurrentRegistry : IRegistryView
{
    private volatile RegistrySnapshot _snapshot = RegistrySnapshot.Empty;

    public RegistrySnapshot Snapshot => _snapshot;

    internal void Set(RegistrySnapshot snapshot) => _snapshot = snapshot;
}
