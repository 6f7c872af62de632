using System.Net;
using System.Net.Sockets;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Hostile;

/// <summary>
/// What the embedded broker's listeners refuse before anyone has logged in: an address they were not told to listen
/// on, a TLS handshake that never comes, and more unauthenticated connections from one address than the cap.
/// (With an external broker these are the broker's own settings.)
/// </summary>
public sealed class ListenerLimitsTests
{
    private static async Task<TestGateway> StartAsync()
    {
        var g = TestGateway.Create();
        g.AddBadge("anna");
        g.Mqtt.TlsPort = FreePort.Next();
        return await g.StartAsync();
    }

    [Fact]
    public async Task Bound_to_127_0_0_1_neither_port_listens_on_IPv6()
    {
        await using var g = await StartAsync();
        Assert.Equal("127.0.0.1", g.Mqtt.BindAddress);
        foreach (var port in new[] { g.BadgePort, g.Mqtt.TlsPort })
        {
            await using (await RawMqttClient.OpenAsync(port))
            {
            }

            await Assert.ThrowsAsync<SocketException>(() => RawMqttClient.OpenAsync(port, IPAddress.IPv6Loopback));
        }
    }

    [Fact]
    public async Task A_connection_that_never_starts_its_TLS_handshake_or_never_logs_in_is_closed()
    {
        await using var g = await StartAsync();
        await using var silentTls = await RawMqttClient.OpenAsync(g.Mqtt.TlsPort);
        await using var silentPlain = await RawMqttClient.OpenAsync(g.BadgePort);

        // The bound is 10 s from the connection to a valid CONNECT; 20 s here only stops a broken test.
        var closed = await Task.WhenAll(silentTls.ClosedWithinAsync(TimeSpan.FromSeconds(20)), silentPlain.ClosedWithinAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal([true, true], closed);

        await using var tls = await RawMqttClient.OpenTlsAsync(g.Mqtt.TlsPort);
        Assert.Equal(0, await tls.ConnectAsync("anna", "anna", g.Secrets["anna"]));
    }

    [Fact]
    public async Task Unauthenticated_connections_from_one_address_are_capped()
    {
        await using var g = await StartAsync();
        var open = new List<RawMqttClient>();
        try
        {
            for (var i = 0; i < 40; i++)
            {
                open.Add(await RawMqttClient.OpenAsync(g.Mqtt.TlsPort));
            }

            // The cap is 16: the rest are closed at once (well before the 10 s handshake bound).
            var closed = await Task.WhenAll(open.Select(c => c.ClosedWithinAsync(TimeSpan.FromSeconds(3))));
            Assert.Equal(40 - 16, closed.Count(c => c));
            Assert.True(g.Log.Contains("127.0.0.1", "unauthenticated connections"));
        }
        finally
        {
            foreach (var client in open)
            {
                await client.DisposeAsync();
            }
        }

        // Once they are gone, a badge from the same address gets in.
        await using var anna = await Eventually.ValueAsync(async () =>
        {
            var tls = await RawMqttClient.OpenTlsAsync(g.Mqtt.TlsPort);
            if (await tls.ConnectAsync("anna", "anna", g.Secrets["anna"]) == 0)
            {
                return tls;
            }

            await tls.DisposeAsync();
            return null;
        });
        Assert.NotNull(anna);
    }
}
