using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Protocol.Tests.Messages;

public class BssidFormatTests
{
    [Theory]
    [InlineData("aa:bb:cc:01:02:03")]
    [InlineData("AA-BB-CC-01-02-03")]
    [InlineData("aabbcc010203")]
    public void A_bssid_is_read_in_its_usual_spellings_and_written_in_one(string text)
    {
        var bytes = new byte[BssidFormat.Length];
        Assert.True(BssidFormat.TryParse(text, bytes));
        Assert.Equal(new byte[] { 0xaa, 0xbb, 0xcc, 0x01, 0x02, 0x03 }, bytes);
        Assert.Equal("aa:bb:cc:01:02:03", BssidFormat.Format(bytes));
    }

    [Theory]
    [InlineData("")]
    [InlineData("aa:bb:cc:01:02")]
    [InlineData("aa:bb:cc:01:02:0g")]
    [InlineData("aa.bb.cc.01.02.03")]
    [InlineData("aa:bb:cc:01:02:03:")]
    [InlineData(null)]
    public void Anything_else_is_refused(string? text)
    {
        Assert.False(BssidFormat.TryParse(text!, new byte[BssidFormat.Length]));
    }
}
