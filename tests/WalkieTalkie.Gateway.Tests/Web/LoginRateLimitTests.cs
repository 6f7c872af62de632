using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Web;
using WalkieTalkie.Gateway.Web.Accounts;

namespace WalkieTalkie.Gateway.Tests.Web;

/// <summary>Sign-in attempts are counted per client address, each address on its own, up to the minute's limit.</summary>
public class LoginRateLimitTests
{
    [Fact]
    public void An_address_gets_its_minutes_attempts_and_no_more_and_others_are_not_held_up()
    {
        var limit = new LoginRateLimit(Options.Create(new WebOptions { LoginAttemptsPerMinute = 3 }),
            new WebRefusals(TimeProvider.System, NullLogger<WebRefusals>.Instance));

        Assert.True(limit.TryAcquire("192.0.2.1"));
        Assert.True(limit.TryAcquire("192.0.2.1"));
        Assert.True(limit.TryAcquire("192.0.2.1"));
        // Asking to replenish before the minute is over gives nothing back.
        Assert.False(limit.TryAcquire("192.0.2.1"));
        Assert.False(limit.TryAcquire("192.0.2.1"));
        Assert.True(limit.TryAcquire("192.0.2.2"));
        Assert.Equal(2, limit.Addresses);
    }

    [Fact]
    public void Past_many_addresses_those_whose_window_passed_are_forgotten_and_the_others_kept()
    {
        var window = TimeSpan.FromMilliseconds(100);
        var limit = new LoginRateLimit(Options.Create(new WebOptions { LoginAttemptsPerMinute = 1 }),
            new WebRefusals(TimeProvider.System, NullLogger<WebRefusals>.Instance), window, forgetIdleAbove: 2);

        Assert.True(limit.TryAcquire("192.0.2.1"));
        Assert.True(limit.TryAcquire("192.0.2.2"));
        Assert.True(limit.TryAcquire("192.0.2.3"));
        // Over the limit of addresses, but each one's try is still counted within its window: none forgotten.
        Assert.Equal(3, limit.Addresses);
        Assert.False(limit.TryAcquire("192.0.2.3"));

        Thread.Sleep(window * 3); // the windows pass (the limiter reads its own monotonic clock: no fake time to move on)
        Assert.True(limit.TryAcquire("192.0.2.4"));
        Assert.Equal(1, limit.Addresses);
        Assert.True(limit.TryAcquire("192.0.2.3"));
    }
}
