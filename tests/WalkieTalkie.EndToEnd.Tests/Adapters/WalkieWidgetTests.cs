using WalkieTalkie.Gateway.MatrixBridge.Linking;

namespace WalkieTalkie.EndToEnd.Tests.Adapters;

/// <summary>The room widget <c>walkie channel link --walkie-url</c> writes: what Element needs, and bad addresses refused with why.</summary>
public sealed class WalkieWidgetTests
{
    [Fact]
    public void The_widget_is_a_custom_widget_whose_address_carries_the_room_user_and_device_template_variables()
    {
        var content = WalkieWidget.Content("yard", "https://gateway.example:8443/walkie/");
        Assert.Equal("m.custom", content["type"]!.GetValue<string>());
        Assert.Equal("https://gateway.example:8443/walkie/?room=$matrix_room_id&user=$matrix_user_id&device=$org.matrix.msc3819.matrix_device_id",
            content["url"]!.GetValue<string>());
        Assert.Equal("Walkie · yard", content["name"]!.GetValue<string>());
        Assert.NotNull(content["data"]);
        Assert.False(content["waitForIframeLoad"]!.GetValue<bool>());
        Assert.Equal("walkie-yard", WalkieWidget.WidgetId("yard"));
    }

    [Theory]
    [InlineData("gateway.example/walkie/", "not an absolute")]
    [InlineData("ftp://gateway.example/walkie/", "not an absolute")]
    [InlineData("https://gateway.example/walkie/?room=x", "no query")]
    [InlineData("https://gateway.example/walkie/#top", "no query")]
    public void An_address_the_widget_cannot_be_built_on_is_refused_with_why(string address, string why)
    {
        var refused = Assert.Throws<FormatException>(() => WalkieWidget.Content("yard", address));
        Assert.Contains(why, refused.Message);
        Assert.Contains(address, refused.Message);
    }
}
