namespace WalkieTalkie.Gateway.Storage;

/// <summary>The registry as someone on another thread may read it now (a transport's authenticator, an HTTP endpoint).</summary>
public interface IRegistryView
{
    RegistrySnapshot Snapshot { get; }
}
