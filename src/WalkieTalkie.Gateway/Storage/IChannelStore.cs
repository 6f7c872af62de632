namespace WalkieTalkie.Gateway.Storage;

/// <summary>Channels and which badges belong to them. Every change moves the registry's version.</summary>
public interface IChannelStore
{
    /// <exception cref="RegistryException">A number, rate or talk limit out of range, a name that is not one, or the channel (or its name) exists.</exception>
    void Add(int number, string name, int sampleRate = 8000, int maxTalkSeconds = 30, int retentionDays = ChannelRecord.DefaultRetentionDays);

    /// <summary>How many days the channel's recordings are kept (0: for good); applies to recordings already made too.</summary>
    /// <exception cref="RegistryException">No such channel, or days out of range.</exception>
    void SetRetention(int channel, int days);

    IReadOnlyList<ChannelRecord> List();

    /// <summary>Renames a channel; a Matrix link made under the old name must be made again (links find channels by name).</summary>
    /// <exception cref="RegistryException">No such channel, not a valid name, or another channel has it.</exception>
    void Rename(int channel, string name);

    /// <summary>The sample rate (8000 or 16000) badges use from their next configuration.</summary>
    /// <exception cref="RegistryException">No such channel, or another rate.</exception>
    void SetSampleRate(int channel, int sampleRate);

    /// <exception cref="RegistryException">No such channel, or seconds out of 1-65535.</exception>
    void SetMaxTalkSeconds(int channel, int seconds);

    /// <summary>Turns the end-of-burst tone on the channel's listeners on or off.</summary>
    /// <exception cref="RegistryException">No such channel.</exception>
    void SetEndTone(int channel, bool on);

    /// <exception cref="RegistryException">No such badge or channel.</exception>
    void Join(int channel, string badgeId);

    /// <summary>Removes a badge from a channel; its permits there go too.</summary>
    /// <exception cref="RegistryException">The badge is not a member of the channel.</exception>
    void Leave(int channel, string badgeId);
}
