namespace WalkieTalkie.Gateway.Storage;

/// <summary>Channels and which badges belong to them. Every change moves the registry's version.</summary>
public interface IChannelStore
{
    /// <exception cref="RegistryException">A number, rate or talk limit out of range, or the channel exists.</exception>
    void Add(int number, string name, int sampleRate = 8000, int maxTalkSeconds = 30);

    IReadOnlyList<ChannelRecord> List();

    /// <summary>Turns the end-of-burst tone on the channel's listeners on or off.</summary>
    /// <exception cref="RegistryException">No such channel.</exception>
    void SetEndTone(int channel, bool on);

    /// <exception cref="RegistryException">No such badge or channel.</exception>
    void Join(int channel, string badgeId);

    /// <summary>Removes a badge from a channel; its permits there go too.</summary>
    void Leave(int channel, string badgeId);
}
