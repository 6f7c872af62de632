using Microsoft.Extensions.Logging.Abstractions;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.MatrixBridge.Linking;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Storage.Sqlite;

namespace WalkieTalkie.EndToEnd.Tests.Adapters;

/// <summary>
/// <c>walkie channel link</c> without a homeserver to talk to: the link is saved, and what it did not do to the room
/// is said with why. (With a homeserver: <c>HeardByAndPermitsTests</c>.)
/// </summary>
public sealed class ChannelLinkerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wt-channel-link-").FullName;
    private readonly SqliteDatabase _database;

    public ChannelLinkerTests()
    {
        _database = new SqliteDatabase(Path.Combine(_folder, "walkie.db"));
        new SqliteChannelStore(_database).Add(1, "yard");
    }

    private Task<ChannelLinkReport> Link(MatrixBridgeOptions options, string granter, string room = "!room:test", string channel = "yard") =>
        ChannelLinker.LinkAsync(SqliteStores.Bridge(_database), options, _folder, channel, room, granter, null, NullLogger.Instance);

    [Fact]
    public async Task Without_a_homeserver_or_a_granter_session_the_link_is_saved_and_the_room_left_as_it_is_with_the_reason()
    {
        var unconfigured = await Link(new MatrixBridgeOptions(), "@walkie-granter:test");
        Assert.Contains(unconfigured.NotDone, l => l.Contains("Matrix:Homeserver is not set"));

        // An address nothing listens on: the report must come from "no session", before any request.
        var configured = new MatrixBridgeOptions { Homeserver = "http://127.0.0.1:9" };
        var noGranter = await Link(configured, "");
        Assert.Contains(noGranter.NotDone, l => l.Contains("no --granter"));
        var noSession = await Link(configured, "@walkie-granter:test");
        Assert.Contains(noSession.NotDone, l => l.Contains("holds no session of @walkie-granter:test") && l.Contains("--granter-password"));
        Assert.False(Directory.Exists(Path.GetDirectoryName(GranterAccount.SessionPath(configured, _folder, "@walkie-granter:test"))));

        var saved = Assert.Single(SqliteStores.Bridge(_database).Links.Channels());
        Assert.Equal(("yard", "!room:test", "@walkie-granter:test"), (saved.Channel, saved.RoomId, saved.GranterUserId));
        await Assert.ThrowsAsync<RegistryException>(() => Link(configured, "@walkie-granter:test", channel: "nowhere"));
    }

    [Fact]
    public async Task Linking_again_to_the_same_room_keeps_the_burst_the_link_started_at()
    {
        var recordings = new SqliteRecordingIndex(_database);
        recordings.Start(1, 1, "kid", 0, "/rec/1.wav", 8000);
        var first = (await Link(new MatrixBridgeOptions(), "@a:test")).Link;
        Assert.Equal(2u, first.FirstBurstId);
        recordings.Start(2, 1, "kid", 0, "/rec/2.wav", 8000); // recorded, not sent yet
        var again = (await Link(new MatrixBridgeOptions(), "@b:test")).Link;
        Assert.Equal(2u, again.FirstBurstId);
        Assert.Equal("@b:test", Assert.Single(SqliteStores.Bridge(_database).Links.Channels()).GranterUserId);
        var moved = (await Link(new MatrixBridgeOptions(), "@b:test", room: "!other:test")).Link;
        Assert.Equal(3u, moved.FirstBurstId); // another room starts afresh
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
