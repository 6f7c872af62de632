using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.EndToEnd.Tests.Support;

/// <summary>
/// A test homeserver and a gateway (not started) with channel 1 "yard" at 8 kHz and one member badge, "anna",
/// linked to a Matrix account of its own: the set-up of the tests about one badge's account.
/// </summary>
public sealed class OneLinkedBadge : IAsyncDisposable
{
    private OneLinkedBadge(WalkieTalkie.TestHomeserver.TestHomeserver homeserver, BridgedGateway gateway, string secret, BadgeLink anna)
    {
        Homeserver = homeserver;
        Gateway = gateway;
        Secret = secret;
        Anna = anna;
    }

    public WalkieTalkie.TestHomeserver.TestHomeserver Homeserver { get; }

    public BridgedGateway Gateway { get; }

    /// <summary>Anna's MQTT password.</summary>
    public string Secret { get; }

    public BadgeLink Anna { get; }

    public static async Task<OneLinkedBadge> CreateAsync(TestFolder folder, ILoggerFactory loggers, CancellationToken ct)
    {
        var homeserver = await WalkieTalkie.TestHomeserver.TestHomeserver.StartAsync(cancellationToken: ct);
        var gateway = await BridgedGateway.CreateAsync(folder, homeserver.BaseUrl,
            new MatrixBridgeOptions { SyncTimeout = TimeSpan.FromSeconds(5) }, loggers, ct);
        gateway.AddChannel(1, "yard", 8000, 30);
        var secret = gateway.AddBadge("anna", "Anna", channel: 1);
        var anna = await gateway.LinkBadgeAsync("anna", ct);
        return new OneLinkedBadge(homeserver, gateway, secret, anna);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Homeserver.DisposeAsync();
    }
}
