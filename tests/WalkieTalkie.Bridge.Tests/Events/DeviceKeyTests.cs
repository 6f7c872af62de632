using WalkieTalkie.Bridge.Events;

namespace WalkieTalkie.Bridge.Tests.Events;

public class DeviceKeyTests
{
    [Theory]
    [InlineData("device/@walkie-anna:example.org/WTANNA01", "@walkie-anna:example.org", "WTANNA01")]
    [InlineData("device/@a/b:example.org/DEV", "@a/b:example.org", "DEV")] // localparts may hold '/'
    [InlineData("device/@anna:[::1]:8448/DEV", "@anna:[::1]:8448", "DEV")] // IPv6 literal and port
    [InlineData("device/@anna:example.org/DEV/with/slashes", "@anna:example.org", "DEV/with/slashes")]
    public void Splits_the_user_id_after_the_server_name(string stateKey, string user, string device)
    {
        var parsed = DeviceKey.ParseStateKey(stateKey);
        Assert.True(parsed.IsValid, parsed.Rejection?.ToString());
        Assert.Equal(new DeviceKey(user, device), parsed.Value);
        Assert.Equal(stateKey, parsed.Value.StateKey);
    }

    [Theory]
    [InlineData("")]
    [InlineData("@walkie-anna:example.org")] // the form the spec avoids: keys starting with '@'
    [InlineData("devices/@anna:example.org/DEV")]
    [InlineData("device/@anna:example.org")]
    [InlineData("device/@anna:example.org/")]
    [InlineData("device/anna:example.org/DEV")]
    [InlineData("device/@:example.org/DEV")]
    [InlineData("device/@anna/DEV")]
    [InlineData("device/@anna:example.org/DE V")]
    [InlineData("device/@anna:example.org/DEV\n")]
    [InlineData("device/@an na:example.org/DEV")]
    public void Refuses_malformed_keys(string stateKey)
    {
        var parsed = DeviceKey.ParseStateKey(stateKey);
        Assert.False(parsed.IsValid);
        Assert.Equal(RejectionCode.StateKeyMalformed, parsed.Rejection.Code);
    }

    [Fact]
    public void Refuses_a_missing_key_as_not_state()
    {
        Assert.Equal(RejectionCode.NotStateEvent, DeviceKey.ParseStateKey(null).Rejection!.Code);
    }

    [Fact]
    public void Refuses_an_overlong_user_id_and_quotes_it_trimmed()
    {
        var key = "device/@" + new string('a', 300) + ":example.org/DEV";
        var parsed = DeviceKey.ParseStateKey(key);
        Assert.Equal(RejectionCode.StateKeyMalformed, parsed.Rejection!.Code);
        Assert.True(parsed.Rejection.Message.Length < 200, parsed.Rejection.Message);
    }

    [Fact]
    public void Create_checks_ids()
    {
        Assert.Throws<ArgumentException>(() => DeviceKey.Create("anna", "DEV"));
        Assert.Throws<ArgumentException>(() => DeviceKey.Create("@anna:example.org", ""));
        Assert.Equal("device/@anna:example.org/DEV", DeviceKey.Create("@anna:example.org", "DEV").StateKey);
    }
}
