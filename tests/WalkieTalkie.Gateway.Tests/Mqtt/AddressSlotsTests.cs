using System.Net;
using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>
/// The login slots per address of the embedded broker's listener: a crowd behind one address (a site behind NAT after
/// a gateway restart) waits its turn instead of being closed, within bounds a hostile address cannot stretch.
/// </summary>
public sealed class AddressSlotsTests
{
    private static readonly IPAddress Site = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress Other = IPAddress.Parse("10.0.0.2");
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_client_over_the_slots_waits_and_gets_the_slot_one_leaves()
    {
        var slots = new AddressSlots(2, 10);
        Assert.True(await slots.EnterAsync(Site, Long, CancellationToken.None));
        Assert.True(await slots.EnterAsync(Site, Long, CancellationToken.None));
        var first = slots.EnterAsync(Site, Long, CancellationToken.None);
        var second = slots.EnterAsync(Site, Long, CancellationToken.None);
        Assert.True(await slots.EnterAsync(Other, Long, CancellationToken.None)); // another address has its own slots
        Assert.False(first.IsCompleted);

        slots.Leave(Site);
        Assert.True(await first.WaitAsync(Long));
        Assert.False(second.IsCompleted); // first come, first served
        slots.Leave(Site);
        Assert.True(await second.WaitAsync(Long));
    }

    [Fact]
    public async Task A_waiting_client_gives_up_at_its_deadline_and_leaves_its_place()
    {
        var slots = new AddressSlots(1, 1);
        Assert.True(await slots.EnterAsync(Site, Long, CancellationToken.None));
        Assert.False(await slots.EnterAsync(Site, TimeSpan.FromMilliseconds(50), CancellationToken.None));

        // Its place is free again: the next one waits, and is handed the slot.
        var next = slots.EnterAsync(Site, Long, CancellationToken.None);
        slots.Leave(Site);
        Assert.True(await next.WaitAsync(Long));
    }

    [Fact]
    public async Task Past_the_waiting_bound_a_client_is_turned_away_at_once()
    {
        var slots = new AddressSlots(1, 2);
        Assert.True(await slots.EnterAsync(Site, Long, CancellationToken.None));
        var waiting = new[] { slots.EnterAsync(Site, Long, CancellationToken.None), slots.EnterAsync(Site, Long, CancellationToken.None) };
        var turnedAway = slots.EnterAsync(Site, Long, CancellationToken.None);
        Assert.True(turnedAway.IsCompleted);
        Assert.False(await turnedAway);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
    }

    [Fact]
    public async Task Stopping_ends_the_wait()
    {
        var slots = new AddressSlots(1, 1);
        using var stopping = new CancellationTokenSource();
        Assert.True(await slots.EnterAsync(Site, Long, CancellationToken.None));
        var waiting = slots.EnterAsync(Site, Long, stopping.Token);
        await stopping.CancelAsync();
        Assert.False(await waiting.WaitAsync(Long));
    }
}
