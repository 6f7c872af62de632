using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Protocol;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

/// <summary>The broker-side rules: own topics only, size limits, and the per-badge flood guard.</summary>
public sealed class PolicyTests
{
    [Theory]
    [InlineData("wt/v1/anna/up/audio", TopicKind.UpAudio)]
    [InlineData("wt/v1/anna/up/ctl", TopicKind.UpControl)]
    [InlineData("wt/v1/anna/up/state", TopicKind.UpState)]
    [InlineData("wt/v1/ben/up/ctl", TopicKind.None)]
    [InlineData("wt/v1/anna/down/ctl", TopicKind.None)]
    [InlineData("wt/v1/anna/up/other", TopicKind.None)]
    [InlineData("wt/v1/anna/up/ctl/x", TopicKind.None)]
    [InlineData("somewhere/else", TopicKind.None)]
    [InlineData("", TopicKind.None)]
    [InlineData("wt/v1/annabel/up/audio", TopicKind.None)]
    [InlineData("wt/v1/ann/up/audio", TopicKind.None)]
    [InlineData("wt/v1/anna/up/audio/", TopicKind.None)]
    [InlineData("wt/v1/anna/up/", TopicKind.None)]
    [InlineData("wt/v1/anna", TopicKind.None)]
    [InlineData("WT/v1/anna/up/audio", TopicKind.None)]
    [InlineData("wt/v1/anna/UP/audio", TopicKind.None)]
    public void A_badge_publishes_only_to_its_own_up_topics(string topic, TopicKind expected) =>
        Assert.Equal(expected, TopicPolicy.CheckPublish("anna", topic));

    [Theory]
    [InlineData("anna/up/audio")]
    [InlineData("")]
    [InlineData("-anna")]
    public void A_client_whose_id_is_no_badge_id_publishes_nowhere(string clientId)
    {
        Assert.Equal(TopicKind.None, TopicPolicy.CheckPublish(clientId, $"wt/v1/{clientId}/up/audio"));
        Assert.Equal(TopicKind.None, TopicPolicy.CheckPublish(clientId, "wt/v1/anna/up/audio/up/audio"));
    }

    [Theory]
    [InlineData("wt/v1/anna/down/#", true)]
    [InlineData("wt/v1/anna/down/ctl", true)]
    [InlineData("wt/v1/anna/down/audio", true)]
    [InlineData("wt/v1/ben/down/#", false)]
    [InlineData("wt/v1/+/down/#", false)]
    [InlineData("wt/v1/#", false)]
    [InlineData("#", false)]
    [InlineData("wt/v1/anna/up/#", false)]
    [InlineData("wt/v1/anna/#", false)]
    public void A_badge_subscribes_only_to_its_own_down_topics(string filter, bool allowed) =>
        Assert.Equal(allowed, TopicPolicy.MaySubscribe("anna", filter));

    [Fact]
    public void Payload_limits_follow_the_protocol()
    {
        Assert.Equal(4096, TopicPolicy.MaxPayload(TopicKind.UpAudio));
        Assert.Equal(1024, TopicPolicy.MaxPayload(TopicKind.UpControl));
        Assert.Equal(1024, TopicPolicy.MaxPayload(TopicKind.UpState));
    }

    [Fact]
    public void The_flood_guard_allows_a_burst_then_the_rate_per_badge()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var guard = new FloodGuard(new FloodLimits(10, 5, 10, 5), clock, Refusals(clock), NullLogger<FloodGuard>.Instance);
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => guard.Allow("anna", TopicKind.UpAudio)));
        Assert.True(guard.Allow("ben", TopicKind.UpAudio));

        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => guard.Allow("anna", TopicKind.UpAudio)));

        // Sustained: a message every 100 ms always passes.
        for (var i = 0; i < 50; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            Assert.True(guard.Allow("anna", TopicKind.UpAudio));
        }
    }

    [Fact]
    public void Audio_and_control_have_budgets_of_their_own()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var guard = new FloodGuard(new FloodLimits(10, 5, 2, 3), clock, Refusals(clock), NullLogger<FloodGuard>.Instance);
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => guard.Allow("anna", TopicKind.UpAudio)));

        // The audio budget is spent; control and state still have all of theirs, and no more.
        Assert.Equal(3, Enumerable.Range(0, 20).Count(i => guard.Allow("anna", i % 2 == 0 ? TopicKind.UpControl : TopicKind.UpState)));
        Assert.False(guard.Allow("anna", TopicKind.UpAudio));

        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(guard.Allow("anna", TopicKind.UpControl));
        Assert.False(guard.Allow("anna", TopicKind.UpControl));
    }

    private static BadgeRefusals Refusals(TimeProvider clock) =>
        new(Options.Create(new LimitOptions()), clock, NullLogger<BadgeRefusals>.Instance);
}
