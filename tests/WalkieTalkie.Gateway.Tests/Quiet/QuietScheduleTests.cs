using WalkieTalkie.Gateway.Quiet;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sqlite;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Quiet;

public sealed class QuietScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static QuietSchedule School(string days = "mon-fri", string start = "08:00", string end = "15:00") =>
        new(1, QuietScope.Channel, "3", QuietDays.Parse(days), TimeOnly.Parse(start), TimeOnly.Parse(end), Berlin);

    [Theory]
    // 2026-12-07 is a Monday; Berlin is UTC+1 in December and UTC+2 in July.
    [InlineData("2026-12-07T06:59:00Z", false)]
    [InlineData("2026-12-07T07:00:00Z", true)]
    [InlineData("2026-12-07T13:59:00Z", true)]
    [InlineData("2026-12-07T14:00:00Z", false)]
    [InlineData("2026-12-05T10:00:00Z", false)]
    [InlineData("2026-07-06T06:30:00Z", true)]
    [InlineData("2026-07-06T13:30:00Z", false)]
    public void A_weekday_window_follows_the_time_zone_and_its_daylight_saving(string utc, bool active)
    {
        Assert.Equal(active, School().IsActive(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    // Friday 22:00 to 06:00: quiet until Saturday morning, not from Thursday night.
    [InlineData("2026-12-11T21:30:00Z", true)]
    [InlineData("2026-12-12T04:59:00Z", true)]
    [InlineData("2026-12-12T05:00:00Z", false)]
    [InlineData("2026-12-10T21:30:00Z", false)]
    [InlineData("2026-12-11T04:00:00Z", false)]
    public void A_window_over_midnight_belongs_to_the_day_it_starts(string utc, bool active)
    {
        Assert.Equal(active, School("fri", "22:00", "06:00").IsActive(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("daily", 0x7F)]
    [InlineData("mon-fri", 0b0111110)]
    [InlineData("sat,sun", 0b1000001)]
    [InlineData("fri-mon", 0b1100011)]
    [InlineData(" Mon , wed ", 0b0001010)]
    public void Days_are_read_as_names_ranges_and_lists(string text, int mask)
    {
        Assert.Equal(mask, QuietDays.Parse(text).Mask);
    }

    [Theory]
    [InlineData("")]
    [InlineData("monday")]
    [InlineData("mon-tue-wed")]
    [InlineData("mon,,fri")]
    public void Days_that_are_not_days_are_refused(string text)
    {
        Assert.Throws<FormatException>(() => QuietDays.Parse(text));
    }

    [Fact]
    public void The_store_refuses_unknown_targets_zones_and_empty_windows_and_keeps_schedules_across_a_reopen()
    {
        using var temp = new TempDatabase();
        var badges = new SqliteBadgeStore(temp.Database, temp.Hasher);
        badges.Add("ben");
        new SqliteChannelStore(temp.Database).Add(3, "class", 8000, 30);
        var store = new SqliteQuietStore(temp.Database);
        var days = QuietDays.Parse("mon-fri");

        Assert.Throws<RegistryException>(() => store.Add(QuietScope.Badge, "nobody", days, new TimeOnly(8, 0), new TimeOnly(15, 0), "UTC"));
        Assert.Throws<RegistryException>(() => store.Add(QuietScope.Channel, "9", days, new TimeOnly(8, 0), new TimeOnly(15, 0), "UTC"));
        Assert.Throws<RegistryException>(() => store.Add(QuietScope.Badge, "ben", days, new TimeOnly(8, 0), new TimeOnly(15, 0), "Mars/Olympus"));
        Assert.Throws<RegistryException>(() => store.Add(QuietScope.Badge, "ben", days, new TimeOnly(8, 0), new TimeOnly(8, 0), "UTC"));
        Assert.Throws<RegistryException>(() => store.SetDoNotDisturb("nobody", true));
        Assert.Throws<RegistryException>(() => store.Remove(42));

        var before = new SqliteRegistryReader(temp.Database).Version();
        var id = store.Add(QuietScope.Channel, "3", days, new TimeOnly(8, 0), new TimeOnly(15, 0), "Europe/Berlin");
        store.SetDoNotDisturb("ben", true);
        Assert.True(new SqliteRegistryReader(temp.Database).Version() > before);

        var reopened = new SqliteRegistryReader(new SqliteDatabase(temp.Database.Path)).Load().Quiet;
        var schedule = Assert.Single(reopened.Schedules);
        Assert.Equal((id, QuietScope.Channel, "3", "Europe/Berlin"), (schedule.Id, schedule.Scope, schedule.Target, schedule.TimeZone.Id));
        Assert.Contains("ben", reopened.DoNotDisturb);
        Assert.True(reopened.IsQuiet("ben", 1, DateTimeOffset.UnixEpoch));
        Assert.True(reopened.Holds("ann", 3, alwaysHeard: false, new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero)));
        Assert.False(reopened.Holds("ann", 3, alwaysHeard: true, new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero)));
        Assert.False(reopened.IsQuiet("ann", 2, new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero)));

        badges.Remove("ben");
        Assert.Empty(store.DoNotDisturb());
    }
}
