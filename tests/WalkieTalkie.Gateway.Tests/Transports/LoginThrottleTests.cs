using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Transports;

namespace WalkieTalkie.Gateway.Tests.Transports;

/// <summary>Failed logins back off per claimed id and per address, doubling up to a bound; success clears the id.</summary>
public sealed class LoginThrottleTests
{
    private static readonly IPAddress Address = IPAddress.Parse("192.0.2.1");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch);

    private LoginThrottle Throttle() => new(Options.Create(new LimitOptions()), _clock);

    [Fact]
    public void Five_failures_of_an_id_make_it_wait_a_second_then_two_then_four_up_to_a_minute()
    {
        var throttle = Throttle();
        for (var i = 0; i < 4; i++)
        {
            throttle.Failed("eve", Address);
            Assert.Null(throttle.RetryAfter("eve", Address));
        }

        throttle.Failed("eve", Address);
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.RetryAfter("eve", Address));
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.RetryAfter("eve", null));
        Assert.Null(throttle.RetryAfter("anna", Address)); // the address has 5 of its 20

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(throttle.RetryAfter("eve", Address));
        throttle.Failed("eve", Address);
        Assert.Equal(TimeSpan.FromSeconds(2), throttle.RetryAfter("eve", Address));
        for (var i = 0; i < 20; i++)
        {
            throttle.Failed("eve", null);
        }

        Assert.Equal(TimeSpan.FromSeconds(60), throttle.RetryAfter("eve", null));
    }

    [Fact]
    public void Twenty_failures_from_an_address_make_every_id_from_it_wait()
    {
        var throttle = Throttle();
        for (var i = 0; i < 20; i++)
        {
            throttle.Failed("guess-" + i, Address);
        }

        Assert.Equal(TimeSpan.FromSeconds(1), throttle.RetryAfter("anna", Address));
        Assert.Null(throttle.RetryAfter("anna", IPAddress.Parse("192.0.2.2")));
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.RetryAfter("anna", IPAddress.Parse("::ffff:192.0.2.1")));

        // A success clears its id, not the address.
        throttle.Succeeded("guess-1");
        Assert.NotNull(throttle.RetryAfter(null, Address));
    }

    [Fact]
    public void A_success_forgets_the_ids_failures_and_old_failures_are_forgotten()
    {
        var throttle = Throttle();
        for (var i = 0; i < 4; i++)
        {
            throttle.Failed("eve", null);
        }

        throttle.Succeeded("eve");
        throttle.Failed("eve", null);
        Assert.Null(throttle.RetryAfter("eve", null));

        for (var i = 0; i < 3; i++)
        {
            throttle.Failed("eve", null);
        }

        _clock.Advance(TimeSpan.FromMinutes(3));
        throttle.Failed("eve", null);
        Assert.Null(throttle.RetryAfter("eve", null));
    }
}
