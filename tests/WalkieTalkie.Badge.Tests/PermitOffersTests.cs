using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Badge.Tests.Fakes;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Tests;

/// <summary>Permit offers, driven directly: a transport for the acceptance and an observer.</summary>
public class PermitOffersTests
{
    private readonly FakeTransport _transport = new() { IsConnected = true };
    private readonly RecordingObserver _observer = new();
    private readonly PermitOffers _offers;

    public PermitOffersTests()
    {
        _offers = new PermitOffers(new GatewayLink(_transport, "kid-1"), _observer);
    }

    [Fact]
    public void Nothing_offered_accepts_nothing()
    {
        Assert.False(_offers.IsPending);
        Assert.False(_offers.Accept());
        Assert.Empty(_transport.Published);
    }

    [Fact]
    public void An_offer_is_accepted_once_with_its_channel_and_permits()
    {
        _offers.Offered(new PermitOffer { Channel = 12, Permits = Permits.Receive, OfferedBy = "mum" });
        Assert.True(_offers.IsPending);

        Assert.True(_offers.Accept());
        Assert.False(_offers.Accept());

        var accept = _transport.Control<PermitAccept>().Single();
        Assert.Equal(((byte)12, Permits.Receive), (accept.Channel, accept.Permits));
        Assert.False(_offers.IsPending);
        Assert.Equal(
            [(BadgeEvent.PermitOffered, (byte)12, 0u, (int)Permits.Receive), (BadgeEvent.PermitAccepted, (byte)12, 0u, (int)Permits.Receive)],
            _observer.Events);
    }

    [Fact]
    public void A_newer_offer_replaces_the_waiting_one()
    {
        _offers.Offered(new PermitOffer { Channel = 12, Permits = Permits.Receive, OfferedBy = "mum" });
        _offers.Offered(new PermitOffer { Channel = 13, Permits = Permits.Known, OfferedBy = "dad" });

        _offers.Accept();

        var accept = _transport.Control<PermitAccept>().Single();
        Assert.Equal(((byte)13, Permits.Known), (accept.Channel, accept.Permits));
    }

    [Fact]
    public void Revoking_the_offered_channel_withdraws_the_offer_and_another_channel_leaves_it()
    {
        _offers.Offered(new PermitOffer { Channel = 12, Permits = Permits.Receive, OfferedBy = "mum" });

        _offers.Revoked(new PermitRevoked { Channel = 7, Permits = Permits.Receive });
        Assert.True(_offers.IsPending);
        _offers.Revoked(new PermitRevoked { Channel = 12, Permits = Permits.Receive });
        Assert.False(_offers.IsPending);

        Assert.False(_offers.Accept());
        Assert.Empty(_transport.Control<PermitAccept>());
        Assert.Equal(2, _observer.Events.Count(e => e.Kind == BadgeEvent.PermitRevoked));
    }
}
