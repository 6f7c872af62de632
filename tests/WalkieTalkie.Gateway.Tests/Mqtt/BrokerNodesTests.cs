using WalkieTalkie.Gateway.Transports.Mqtt;

namespace WalkieTalkie.Gateway.Tests.Mqtt;

public sealed class BrokerNodesTests
{
    [Fact]
    public void Without_a_list_the_one_node_is_the_external_host_and_port()
    {
        Assert.Equal([new BrokerNode("broker", 8883)], BrokerNodes.Parse(null, "broker", 8883, out var error)!);
        Assert.Null(error);
        Assert.Equal([new BrokerNode("broker", 8883)], BrokerNodes.Parse(" ", "broker", 8883, out _)!);
    }

    [Fact]
    public void A_list_gives_each_node_its_port_or_the_external_port_in_the_order_written()
    {
        var nodes = BrokerNodes.Parse("n1.site:18831, n2.site ,10.0.0.3:1884,[fd00::4]:1885,[fd00::5]", "ignored", 1883, out var error)!;

        Assert.Null(error);
        Assert.Equal(
            [new BrokerNode("n1.site", 18831), new BrokerNode("n2.site", 1883), new BrokerNode("10.0.0.3", 1884),
                new BrokerNode("fd00::4", 1885), new BrokerNode("fd00::5", 1883)],
            nodes);
        Assert.Equal("[fd00::4]:1885", nodes[3].ToString());
        Assert.Equal("n1.site:18831", nodes[0].ToString());
    }

    [Theory]
    [InlineData("n1:18831,,n2")]
    [InlineData("n1:0")]
    [InlineData("n1:65536")]
    [InlineData("n1:port")]
    [InlineData("n1:-5")]
    [InlineData(":1883")]
    [InlineData("fd00::4")]
    [InlineData("[fd00::4")]
    [InlineData("[]:1883")]
    [InlineData("[fd00::4]1883")]
    [InlineData("n 1:1883")]
    public void A_wrong_entry_is_named_in_the_error(string list)
    {
        Assert.Null(BrokerNodes.Parse(list, "broker", 1883, out var error));
        Assert.StartsWith("Mqtt:ExternalNodes has '", error);
    }
}
