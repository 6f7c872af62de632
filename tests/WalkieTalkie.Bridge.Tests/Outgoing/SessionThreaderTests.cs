using WalkieTalkie.Bridge.Outgoing;
using WalkieTalkie.Bridge.Tests.Support;

namespace WalkieTalkie.Bridge.Tests.Outgoing;

public class SessionThreaderTests
{
    private static readonly TimeSpan Gap = TimeSpan.FromMinutes(5);
    private readonly MemoryThreadStore _store = new();

    [Fact]
    public void The_first_burst_starts_a_session_and_the_next_joins_it()
    {
        var threader = new SessionThreader(_store);
        var first = threader.Decide("yard", Ev.At(0), Gap);
        Assert.IsType<ThreadDecision.StartsSession>(first);
        threader.Record("yard", first, "t1", Ev.At(3_000));
        threader.OnSent("yard", "t1", "$one");

        var second = Assert.IsType<ThreadDecision.JoinsSession>(threader.Decide("yard", Ev.At(60_000), Gap));
        Assert.Equal(new ThreadRelation("$one", "$one"), second.Relation);
        threader.Record("yard", second, "t2", Ev.At(62_000));
        threader.OnSent("yard", "t2", "$two");

        var third = Assert.IsType<ThreadDecision.JoinsSession>(threader.Decide("yard", Ev.At(100_000), Gap));
        Assert.Equal(new ThreadRelation("$one", "$two"), third.Relation);
    }

    [Fact]
    public void A_gap_of_session_gap_ms_after_the_last_burst_ends_starts_a_new_session()
    {
        var threader = new SessionThreader(_store);
        threader.Record("yard", new ThreadDecision.StartsSession(), "t1", Ev.At(10_000));
        threader.OnSent("yard", "t1", "$one");
        Assert.IsType<ThreadDecision.JoinsSession>(threader.Decide("yard", Ev.At(10_000) + Gap - TimeSpan.FromMilliseconds(1), Gap));
        Assert.IsType<ThreadDecision.StartsSession>(threader.Decide("yard", Ev.At(10_000) + Gap, Gap));
    }

    [Fact]
    public void The_gap_is_measured_from_the_latest_burst_so_a_long_conversation_stays_one_thread()
    {
        var threader = new SessionThreader(_store);
        threader.Record("yard", new ThreadDecision.StartsSession(), "t0", Ev.At(1_000));
        threader.OnSent("yard", "t0", "$root");
        for (var i = 1; i <= 10; i++)
        {
            var start = Ev.At(1_000) + TimeSpan.FromMinutes(4 * i);
            var decision = Assert.IsType<ThreadDecision.JoinsSession>(threader.Decide("yard", start, Gap));
            Assert.Equal("$root", decision.Relation.RootEventId);
            threader.Record("yard", decision, "t" + i, start + TimeSpan.FromSeconds(2));
        }
    }

    [Fact]
    public void Channels_have_their_own_sessions()
    {
        var threader = new SessionThreader(_store);
        threader.Record("yard", new ThreadDecision.StartsSession(), "t1", Ev.At(1_000));
        threader.OnSent("yard", "t1", "$one");
        Assert.IsType<ThreadDecision.StartsSession>(threader.Decide("family", Ev.At(2_000), Gap));
    }

    [Fact]
    public void A_burst_waits_while_the_root_is_not_sent_and_a_restart_keeps_the_thread()
    {
        var before = new SessionThreader(_store);
        before.Record("yard", new ThreadDecision.StartsSession(), "t1", Ev.At(1_000));
        Assert.Equal(new ThreadDecision.AwaitsRoot("t1"), before.Decide("yard", Ev.At(5_000), Gap));

        var after = new SessionThreader(_store); // the gateway restarted
        after.OnSent("yard", "t1", "$one");
        var joins = Assert.IsType<ThreadDecision.JoinsSession>(after.Decide("yard", Ev.At(5_000), Gap));
        Assert.Equal("$one", joins.Relation.RootEventId);
    }

    [Fact]
    public void A_root_the_outbox_gave_up_on_ends_the_session()
    {
        var threader = new SessionThreader(_store);
        threader.Record("yard", new ThreadDecision.StartsSession(), "t1", Ev.At(1_000));
        threader.OnFailed("yard", "t1");
        Assert.IsType<ThreadDecision.StartsSession>(threader.Decide("yard", Ev.At(2_000), Gap));
    }

    [Fact]
    public void Sent_reports_of_other_transactions_change_nothing()
    {
        var threader = new SessionThreader(_store);
        threader.Record("yard", new ThreadDecision.StartsSession(), "t1", Ev.At(1_000));
        var saved = _store.Load("yard");
        threader.OnSent("yard", "unrelated", "$x");
        threader.OnFailed("yard", "unrelated");
        threader.OnSent("nochannel", "t1", "$x");
        Assert.Equal(saved, _store.Load("yard"));
    }

    [Fact]
    public void An_awaiting_decision_cannot_be_recorded()
    {
        var threader = new SessionThreader(_store);
        Assert.Throws<ArgumentException>(() => threader.Record("yard", new ThreadDecision.AwaitsRoot("t"), "t2", Ev.At(1)));
    }
}
