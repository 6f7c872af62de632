using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Tests.Support;
using WalkieTalkie.Gateway.Transports;

namespace WalkieTalkie.Gateway.Tests.Transports;

/// <summary>The one refusal path: a few lines per badge and kind, a count of the rest, and bans that grow.</summary>
public sealed class BadgeRefusalsTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch);
    private readonly ListLoggerProvider _log = new();
    private readonly List<string> _banned = [];

    private BadgeRefusals Refusals(LimitOptions? limits = null)
    {
        var refusals = new BadgeRefusals(Options.Create(limits ?? new LimitOptions()), _clock, new Logger<BadgeRefusals>(_log));
        refusals.Banned += _banned.Add;
        return refusals;
    }

    [Fact]
    public void Each_badge_and_kind_gets_a_few_lines_a_window_and_the_rest_is_counted_at_its_end()
    {
        using var refusals = Refusals();
        var logged = Enumerable.Range(0, 50).Count(_ => refusals.Refuse("eve", RefusalKind.Subscribe));
        Assert.Equal(10, logged);
        Assert.Equal(10, Enumerable.Range(0, 30).Count(_ => refusals.Refuse("eve", RefusalKind.Publish)));
        Assert.True(refusals.Refuse("anna", RefusalKind.Publish)); // another badge has its own
        Assert.Empty(_log.Lines);

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Contains(_log.Lines, l => l.Contains("Badge eve: 60 more refusals not logged in the last 10 s (publish 20, subscribe 40)"));
        Assert.DoesNotContain(_log.Lines, l => l.Contains("Badge anna"));

        // A new window: lines again.
        Assert.True(refusals.Refuse("eve", RefusalKind.Subscribe));
    }

    [Fact]
    public void The_sweep_runs_only_while_someone_refused_is_remembered()
    {
        var time = new ArmedFakeTime();
        var limits = new LimitOptions();
        using var refusals = new BadgeRefusals(Options.Create(limits), time, new Logger<BadgeRefusals>(_log));
        // Nobody refused: nothing armed (the old sweep ran every window from the start).
        Assert.Equal(0, time.ArmedCount);

        refusals.Refuse("eve", RefusalKind.Subscribe);
        Assert.Equal(1, time.ArmedCount);

        // Once eve is forgotten (quiet for longer than the longest ban and a window), the sweep stops.
        time.Advance(TimeSpan.FromSeconds(limits.MaxBanSeconds + 3 * limits.RefusalWindowSeconds));
        Assert.Equal(0, time.ArmedCount);
        Assert.Null(refusals.BannedFor("eve"));

        refusals.Refuse("eve", RefusalKind.Subscribe);
        Assert.Equal(1, time.ArmedCount);
    }

    [Fact]
    public void Refusals_by_address_are_counted_apart_from_badges()
    {
        using var refusals = Refusals();
        var address = System.Net.IPAddress.Parse("192.0.2.7");
        Assert.Equal(10, Enumerable.Range(0, 12).Count(_ => refusals.Refuse(address, RefusalKind.Login)));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Contains(_log.Lines, l => l.Contains("Address 192.0.2.7: 2 more refusals not logged"));
        Assert.Empty(_banned); // logins are the throttle's business, not a ban's
    }

    [Fact]
    public void A_badge_past_the_threshold_is_banned_for_a_time_that_doubles_each_time()
    {
        using var refusals = Refusals();
        for (var i = 0; i < 99; i++)
        {
            refusals.Refuse("eve", RefusalKind.FloorRequest);
        }

        Assert.Empty(_banned);
        Assert.Null(refusals.BannedFor("eve"));
        refusals.Refuse("eve", RefusalKind.PlayRequest);
        Assert.Equal(["eve"], _banned);
        Assert.Equal(TimeSpan.FromSeconds(10), refusals.BannedFor("eve"));
        Assert.Contains(_log.Lines, l => l.Contains("Badge eve disconnected for 10 s") && l.Contains("100 refusals in 10 s (floorrequest 99, playrequest 1)"));
        Assert.Contains(_log.Lines, l => l.Contains("Badge eve: 89 more refusals not logged"));

        _clock.Advance(TimeSpan.FromSeconds(10.5));
        Assert.Null(refusals.BannedFor("eve"));
        for (var i = 0; i < 100; i++)
        {
            refusals.Refuse("eve", RefusalKind.Permit);
        }

        Assert.Equal(TimeSpan.FromSeconds(20), refusals.BannedFor("eve"));
        Assert.Null(refusals.BannedFor("anna"));
    }

    [Fact]
    public void Floods_late_audio_and_logins_never_ban()
    {
        using var refusals = Refusals();
        foreach (var kind in new[] { RefusalKind.Flood, RefusalKind.NotHolder })
        {
            for (var i = 0; i < 500; i++)
            {
                refusals.Refuse("anna", kind);
            }
        }

        Assert.Empty(_banned);
        Assert.Null(refusals.BannedFor("anna"));
    }
}
