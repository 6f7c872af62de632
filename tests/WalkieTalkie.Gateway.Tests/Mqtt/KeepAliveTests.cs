using System.Diagnostics;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>
/// A badge that goes silent without closing its connection (its battery gone, out of the Wi-Fi's reach) is closed by
/// the embedded broker once 1.5 times its keep-alive has passed, within one sweep (<see cref="EmbeddedBrokerLink.KeepAliveSweepEvery"/>);
/// one that keeps pinging stays.
/// </summary>
public sealed class KeepAliveTests
{
    [Fact]
    public async Task A_silent_badge_is_closed_after_one_and_a_half_keep_alives_and_a_pinging_one_stays()
    {
        var g = TestGateway.Create();
        await using var _ = g;
        g.AddBadge("anna");
        g.AddBadge("ben");
        await g.StartAsync(BrokerKind.Embedded);

        await using var silent = await RawMqttClient.OpenAsync(g.BadgePort);
        await using var pinging = await RawMqttClient.OpenAsync(g.BadgePort);
        Assert.Equal(0, await silent.ConnectAsync("anna", "anna", g.Secrets["anna"], keepAliveSeconds: 1));
        Assert.Equal(0, await pinging.ConnectAsync("ben", "ben", g.Secrets["ben"], keepAliveSeconds: 1));
        var connected = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var pings = PingAsync(pinging, stop.Token);

        var closed = await silent.ClosedWithinAsync(TimeSpan.FromSeconds(1.5) + EmbeddedBrokerLink.KeepAliveSweepEvery + TimeSpan.FromSeconds(2));
        var after = connected.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(1));
        stop.Cancel();
        var pingsSent = await pings;

        Assert.True(closed, "the silent badge was not closed");
        Assert.True(after >= TimeSpan.FromSeconds(1.4), $"closed after {after.TotalSeconds:F1} s, before its keep-alive ran out");
        Assert.True(pingsSent, "the pinging badge was closed");
    }

    // PINGREQ every 0.4 s until stopped; false if the server closed the connection meanwhile.
    private static async Task<bool> PingAsync(RawMqttClient client, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (!await client.TrySendAsync([0xC0, 0x00]))
            {
                return false;
            }

            try
            {
                await Task.Delay(400, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return true;
    }
}
