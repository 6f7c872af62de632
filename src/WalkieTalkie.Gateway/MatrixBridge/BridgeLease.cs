using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.MatrixBridge;

/// <summary>
/// When this gateway may run the Matrix bridge: while it holds the bridge's own lease (<see cref="IChannelLeases.HoldBridge"/>,
/// one for the site) with at least <see cref="StopMargin"/> left. The bridge drives the badges' Matrix devices (their
/// sessions and key stores, their sync loops and outboxes), which must never run on two gateways at once; it does not
/// need the channels' leases, since the bursts of every gateway reach it through the shared recordings and a phone's
/// voice message reaches the channel's owner through the shared queue folder. A gateway asks for it only while it owns
/// a channel, so that the bridge runs where the badges' reports (presence, emergencies, <c>played</c>) are made as
/// long as one gateway serves the site. The lease is renewed every <see cref="ChannelOwnership.RenewEvery"/> for
/// <see cref="ChannelOwnership.LeaseDuration"/> and counted from before the gateway asked, so its end as this gateway
/// measures it is never later than the database's; stopping <see cref="StopMargin"/> before it leaves the bridge that
/// long to close before another gateway can take the lease. A gateway alone on its site (SQLite) always holds it.
/// </summary>
public sealed class BridgeLease(ChannelOwnership ownership, IChannelLeases leases, CurrentRegistry registry, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// How long before the lease's end the bridge stops: half the lease (<see cref="ChannelOwnership.LeaseDuration"/>),
    /// so one renewal late by up to 0.5 s (<see cref="ChannelOwnership.RenewEvery"/>) does not stop it.
    /// </summary>
    public static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(1);

    /// <summary>How often the lease is looked at while waiting for it or watching it.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromMilliseconds(100);

    // The timestamp until which this gateway holds the lease, as it measures it (0: not held).
    private long _validUntil;

    /// <summary>Whether this gateway is its site's only one: the bridge then runs from start to stop.</summary>
    public bool Alone => ownership.Alone;

    /// <summary>Whether the bridge may run now.</summary>
    public bool Held => Alone || time.GetTimestamp() < HeldUntil;

    /// <summary>
    /// The timestamp (<see cref="TimeProvider.GetTimestamp"/>) until which the bridge may run: the lease's end as this
    /// gateway measures it, less <see cref="StopMargin"/> (in the past when the lease is not held).
    /// </summary>
    public long HeldUntil => Volatile.Read(ref _validUntil) - (long)(StopMargin.TotalSeconds * time.TimestampFrequency);

    /// <summary>
    /// Takes and renews the lease until <paramref name="stopping"/>, while this gateway owns a channel, on a thread of its
    /// own (<see cref="RenewalThread"/>: a renewal that waited for the thread pool came late under load and lost the
    /// lease); a renewal that fails (the database out of reach) is logged and tried again, and the lease runs out meanwhile.
    /// </summary>
    /// <returns>Completes when the renewals ended.</returns>
    public Task RenewAsync(CancellationToken stopping) =>
        Alone ? Task.CompletedTask : RenewalThread.Start("Matrix bridge lease renewals", ChannelOwnership.RenewEvery, Renew, () => { }, time, stopping);

    private void Renew()
    {
        var asked = time.GetTimestamp();
        try
        {
            var ownsAChannel = registry.Snapshot.Channels.Any(c => ownership.Owns(c.Number));
            var held = (ownsAChannel || Volatile.Read(ref _validUntil) > asked) && leases.HoldBridge(ChannelOwnership.LeaseDuration);
            Volatile.Write(ref _validUntil, held ? asked + (long)(ChannelOwnership.LeaseDuration.TotalSeconds * time.TimestampFrequency) : 0);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("The Matrix bridge's lease could not be renewed, will retry: {Error}", e.Message);
        }
    }

    /// <summary>Returns once this gateway holds the lease with the margin to spare (on the thread pool: starting late is safe).</summary>
    public async Task WaitHeldAsync(CancellationToken cancellationToken)
    {
        while (!Held)
        {
            await Task.Delay(CheckEvery, time, cancellationToken);
        }
    }

    /// <summary>
    /// Once the lease is lost or has less than <see cref="StopMargin"/> left (never when alone), calls
    /// <paramref name="halt"/> and then cancels <paramref name="held"/>, until disposed. Both come from a thread of its own
    /// (<see cref="LeaseEndWatch"/>): waiting for the thread pool, the stop came past the margin (1064 and 2047 ms once
    /// each under load), and two gateways could then drive one badge's Matrix device.
    /// </summary>
    public IDisposable CancelWhenEnding(CancellationTokenSource held, Action halt) =>
        Alone ? LeaseEndWatch.Never : LeaseEndWatch.Start(() => HeldUntil, time, halt, held, logger);
}
