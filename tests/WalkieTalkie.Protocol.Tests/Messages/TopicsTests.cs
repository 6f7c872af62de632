namespace WalkieTalkie.Protocol.Tests.Messages;

public class TopicsTests
{
    [Fact]
    public void Each_topic_parses_back_to_its_badge_and_kind()
    {
        Assert.Equal(TopicKind.UpAudio, Topics.Parse(Topics.UpAudio("anna"), out var badge));
        Assert.Equal("anna", badge);
        Assert.Equal(TopicKind.UpControl, Topics.Parse(Topics.UpControl("lager-3"), out badge));
        Assert.Equal("lager-3", badge);
        Assert.Equal(TopicKind.UpState, Topics.Parse(Topics.UpState("a"), out _));
        Assert.Equal(TopicKind.DownAudio, Topics.Parse(Topics.DownAudio("a"), out _));
        Assert.Equal(TopicKind.DownControl, Topics.Parse(Topics.DownControl("a"), out _));
        Assert.Equal("wt/v1/anna/up/audio", Topics.UpAudio("anna"));
        Assert.Equal("wt/v1/anna/down/#", Topics.DownFilter("anna"));
    }

    [Theory]
    [InlineData("wt/v1/anna/up/other")]
    [InlineData("wt/v1/anna/up/audio/extra")]
    [InlineData("wt/v1/Anna/up/audio")]
    [InlineData("wt/v1/+/up/audio")]
    [InlineData("wt/v1/#")]
    [InlineData("wt/v2/anna/up/audio")]
    [InlineData("wt/v1//up/audio")]
    [InlineData("wt/v1/anna")]
    [InlineData("")]
    public void Other_topics_belong_to_no_badge(string topic)
    {
        Assert.Equal(TopicKind.None, Topics.Parse(topic, out var badge));
        Assert.Null(badge);
    }

    [Theory]
    [InlineData("anna", true)]
    [InlineData("lager-03", true)]
    [InlineData("-anna", false)]
    [InlineData("Anna", false)]
    [InlineData("an na", false)]
    [InlineData("an/na", false)]
    [InlineData("an+na", false)]
    [InlineData("", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", false)]
    public void Badge_ids_are_safe_in_topics_files_and_matrix_ids(string id, bool valid)
    {
        Assert.Equal(valid, Topics.IsValidBadgeId(id));
    }
}
