using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage.Bridge;

namespace WalkieTalkie.Gateway.Tests.Scale;

/// <summary>
/// The handed-over engine reports' age limits by kind: presence and receipts go stale in minutes, a low battery in
/// hours, an emergency, its cancel and a recording never; a late message says when it happened, with the day when it
/// was another one.
/// </summary>
public sealed class EngineReportAgesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 14, 30, 0, TimeSpan.Zero);

    private static long Ago(TimeSpan age) => (Now - age).ToUnixTimeMilliseconds();

    [Theory]
    [InlineData(EngineReportKinds.Presence, 4, false)]
    [InlineData(EngineReportKinds.Presence, 6, true)]
    [InlineData(EngineReportKinds.Played, 6, true)]
    [InlineData(EngineReportKinds.LowBattery, 5 * 60, false)]
    [InlineData(EngineReportKinds.LowBattery, 7 * 60, true)]
    [InlineData(EngineReportKinds.EmergencyOpened, 7 * 24 * 60, false)]
    [InlineData(EngineReportKinds.EmergencyClosed, 7 * 24 * 60, false)]
    [InlineData(EngineReportKinds.Recorded, 7 * 24 * 60, false)]
    public void A_report_is_stale_by_its_kind_and_age(string kind, int minutes, bool stale) =>
        Assert.Equal(stale, EngineReportAges.IsStale(kind, Ago(TimeSpan.FromMinutes(minutes)), Now));

    [Fact]
    public void A_late_message_says_when_it_happened_in_the_sites_time_zone()
    {
        var plus2 = TimeZoneInfo.CreateCustomTimeZone("test+2", TimeSpan.FromHours(2), "test+2", "test+2");
        Assert.Equal("", EngineReportAges.LateMark(Ago(TimeSpan.FromSeconds(30)), Now, plus2));
        Assert.Equal(" (at 14:02)", EngineReportAges.LateMark(Ago(TimeSpan.FromMinutes(28)), Now, TimeZoneInfo.Utc));
        Assert.Equal(" (at 16:02)", EngineReportAges.LateMark(Ago(TimeSpan.FromMinutes(28)), Now, plus2));
        Assert.Equal(" (on 3 Dec at 14:02)", EngineReportAges.LateMark(Ago(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(28)), Now, TimeZoneInfo.Utc));
    }
}
