using Microsoft.Extensions.Logging;

namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// The channels this gateway may serve now, kept by renewing its leases (<see cref="IChannelLeases"/>) every
/// <see cref="RenewEvery"/> for <see cref="LeaseDuration"/>. A channel is owned only until the lease's end as this
/// gateway measures it from before it asked, which is never later than the end the database recorded: so when a
/// renewal fails or this gateway stalls, it stops owning before another gateway can take the channel, and never
/// do two own one at once. A dead gateway's channels are taken within <see cref="LeaseDuration"/> plus
/// <see cref="RenewEvery"/>. A gateway alone on its site (<see cref="Alone"/>) serves every channel without renewing
/// anything.
/// </summary>
public sealed class ChannelOwnership(IChannelLeases leases, TimeProvider time, ILogger<ChannelOwnership> logger)
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan RenewEvery = TimeSpan.FromMilliseconds(500);

    private Grant _grant = new(new HashSet<byte>(), 0);

    /// <summary>Whether this gateway is its site's only one (SQLite): it serves every channel and asks nobody.</summary>
    public bool Alone => leases.HoldsEveryChannel;

    /// <summary>Whether this gateway serves <paramref name="channel"/> now (called on the engine's loop: no I/O).</summary>
    public bool Owns(byte channel)
    {
        var grant = Volatile.Read(ref _grant);
        return time.GetTimestamp() < grant.ValidUntil && grant.Channels.Contains(channel);
    }

    /// <summary>Takes or renews the leases of <paramref name="channels"/> once; returns the channels owned now.</summary>
    public IReadOnlySet<byte> Renew(IReadOnlyCollection<byte> channels)
    {
        var asked = time.GetTimestamp();
        var held = leases.Hold(channels, LeaseDuration);
        var validUntil = asked + (long)(LeaseDuration.TotalSeconds * time.TimestampFrequency);
        Volatile.Write(ref _grant, new Grant(held, validUntil));
        return held;
    }

    /// <summary>
    /// Takes the first round of leases, before the gateway lets badges in: a badge that presses at start-up is then
    /// answered on a channel nobody holds, instead of being ignored until a background renewal comes round. When another
    /// process holds this gateway's id, waits as long as a killed one's hold can last (<see cref="LeaseDuration"/> plus
    /// <see cref="RenewEvery"/>, so a gateway restarted at once after a crash starts), then refuses
    /// (<see cref="GatewayIdInUseException"/>).
    /// </summary>
    public async Task StartAsync(IReadOnlyCollection<byte> channels, CancellationToken cancellationToken)
    {
        if (leases.HoldsEveryChannel)
        {
            return;
        }

        var giveUpAt = time.GetTimestamp() + (long)((LeaseDuration + RenewEvery).TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            try
            {
                await Task.Run(() => Renew(channels), cancellationToken);
                return;
            }
            catch (GatewayIdInUseException) when (time.GetTimestamp() < giveUpAt)
            {
                logger.LogWarning("Another process holds this gateway's id; waiting for its hold to run out");
            }
            catch (System.Data.Common.DbException e)
            {
                throw new StorageUnavailableException($"the channel leases could not be taken: {e.Message}", e);
            }

            await Task.Delay(RenewEvery, time, cancellationToken);
        }
    }

    /// <summary>
    /// Renews every <see cref="RenewEvery"/> until <paramref name="stopping"/>, then lets the leases go, on a thread of its
    /// own (<see cref="RenewalThread"/>): on the thread pool a renewal could wait for a free thread long enough to lose
    /// the channels. A renewal that fails (the database out of reach) is logged and tried again; the channels stop being
    /// owned when the last lease granted runs out.
    /// </summary>
    /// <returns>Completes once the leases were let go.</returns>
    public Task RunAsync(Func<IReadOnlyCollection<byte>> channels, CancellationToken stopping) =>
        leases.HoldsEveryChannel
            ? Task.CompletedTask
            : RenewalThread.Start("Channel lease renewals", RenewEvery, () => TryRenew(channels), LetGo, time, stopping);

    private void TryRenew(Func<IReadOnlyCollection<byte>> channels)
    {
        try
        {
            Renew(channels());
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("Channel leases could not be renewed, will retry: {Error}", e.Message);
        }
    }

    private void LetGo()
    {
        Volatile.Write(ref _grant, new Grant(new HashSet<byte>(), 0));
        try
        {
            leases.Release();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("Channel leases could not be released (they run out by themselves): {Error}", e.Message);
        }
    }

    private sealed record Grant(IReadOnlySet<byte> Channels, long ValidUntil);
}
