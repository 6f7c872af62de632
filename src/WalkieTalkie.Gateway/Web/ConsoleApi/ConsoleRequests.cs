namespace WalkieTalkie.Gateway.Web.ConsoleApi;

/// <summary>The console's request bodies. Missing values are null: the application layer says what is wrong with them.</summary>
public static class ConsoleRequests
{
    public sealed record NewBadge(string? Id, string? Name, bool Priority);

    public sealed record Name(string? Value);

    public sealed record Switch(bool On);

    public sealed record NewChannel(int Number, string? Name, int? SampleRate, int? MaxTalkSeconds, int? RetentionDays);

    /// <summary>The settings to change; those left null stay.</summary>
    public sealed record ChannelSettings(string? Name, int? SampleRate, int? MaxTalkSeconds, int? RetentionDays, bool? EndTone);

    public sealed record Member(string? Badge);

    /// <summary>A permit offer: <paramref name="Seconds"/> from now, or null for good.</summary>
    public sealed record NewPermit(string? Badge, int Channel, bool Receive, bool Send, long? Seconds, bool Accepted);

    /// <summary>A Matrix device's permit (<c>@user:server/DEVICEID</c>) in a linked channel's room: <paramref name="Seconds"/> from now or
    /// null for good; <paramref name="Receive"/> false withdraws it.</summary>
    public sealed record DevicePermit(int Channel, string? Device, bool Receive, bool Send, long? Seconds);

    /// <summary>A channel's room (id or alias) and the granter; the password is a secret, kept out of every log line and the audit.</summary>
    public sealed record ChannelLink(string? Room, string? Granter, string? GranterPassword)
    {
        public override string ToString() => $"{nameof(ChannelLink)} {{ Room = {Room}, Granter = {Granter} }}";
    }
}
