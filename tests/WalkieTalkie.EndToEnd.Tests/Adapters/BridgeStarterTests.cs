using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Gateway.MatrixBridge;

namespace WalkieTalkie.EndToEnd.Tests.Adapters;

/// <summary>The gateway's bridge start while the homeserver is away: retried until it answers; a permanent failure is not.</summary>
public sealed class BridgeStarterTests
{
    private static readonly HttpRequestException Refused =
        new("Connection refused (127.0.0.1:8008)", new SocketException((int)SocketError.ConnectionRefused));

    [Fact]
    public async Task A_start_that_cannot_reach_the_homeserver_is_tried_again_with_growing_waits_until_it_succeeds()
    {
        var attempts = 0;
        var waits = new List<TimeSpan>();
        var started = await BridgeStarter.StartWhenReachableAsync(_ =>
        {
            attempts++;
            // Wrapped, as a device's start may wrap what its client threw.
            return attempts <= 5 ? throw new InvalidOperationException("device start failed", Refused) : Task.FromResult("bridge");
        }, TimeSpan.FromSeconds(4), NullLogger.Instance, CancellationToken.None, (wait, _) => { waits.Add(wait); return Task.CompletedTask; });

        Assert.Equal("bridge", started);
        Assert.Equal(6, attempts);
        Assert.Equal(5, waits.Count);
        double[] expected = [1, 2, 4, 4, 4]; // 1 s doubling, capped, each within the 20 % jitter
        for (var i = 0; i < waits.Count; i++)
        {
            Assert.InRange(waits[i].TotalSeconds, expected[i] * 0.8, expected[i] * 1.2);
        }
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_and_gives_null()
    {
        var attempts = 0;
        var started = await BridgeStarter.StartWhenReachableAsync<string>(_ =>
        {
            attempts++;
            throw new InvalidDataException("session.json is damaged");
        }, TimeSpan.FromSeconds(4), NullLogger.Instance, CancellationToken.None, (_, _) => Task.CompletedTask);
        Assert.Null(started);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Stopping_the_gateway_ends_the_attempts()
    {
        using var stop = new CancellationTokenSource();
        var attempts = 0;
        var starting = BridgeStarter.StartWhenReachableAsync<string>(_ =>
        {
            if (++attempts == 3)
            {
                stop.Cancel();
            }

            throw Refused;
        }, TimeSpan.FromSeconds(4), NullLogger.Instance, stop.Token, Task.Delay);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => starting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(3, attempts);
    }
}
