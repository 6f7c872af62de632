using Microsoft.Extensions.DependencyInjection;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.TestHomeserver;
using WalkieTalkie.Tests.Shared;

namespace WalkieTalkie.Gateway.Bench;

/// <summary>
/// What makes a bench gateway one site of a room on the test homeserver (<see cref="SiteOfRoom"/>, as the two-site
/// tests make theirs) on its own plain loopback HTTP port. The bridge stays off: the site reaches the homeserver
/// through the granter alone.
/// </summary>
public sealed class BenchSiteSetup(string gatewayId, TestHomeserver.TestHomeserver homeserver, TestUser granter, string roomId)
{
    public int HttpPort { get; } = BenchGateway.FreePort();

    private MatrixBridgeOptions Matrix => new() { Homeserver = homeserver.BaseUrl.ToString() };

    public Task PrepareAsync(SqliteDatabase database, string directory) =>
        SiteOfRoom.LinkChannelAsync(SqliteStores.Bridge(database), Matrix, directory, BenchGateway.ChannelName, roomId, granter);

    public void Services(IServiceCollection services) => SiteOfRoom.AddServices(services, gatewayId, HttpPort, homeserver, Matrix);
}
