namespace WalkieTalkie.Gateway.Storage;

/// <summary>Reads the whole registry (badges, channels, memberships, permits) as one consistent snapshot.</summary>
public interface IRegistryReader
{
    RegistrySnapshot Load();

    /// <summary>The registry's version: it moves with every change to badges, channels, memberships or permits.</summary>
    long Version();
}
