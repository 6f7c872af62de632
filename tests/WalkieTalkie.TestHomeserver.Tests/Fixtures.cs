using System.Text.Json.Nodes;

namespace WalkieTalkie.TestHomeserver.Tests;

/// <summary>Small helpers shared by the plain-HTTP tests.</summary>
internal static class Fixtures
{
    /// <summary>Bounds every test: nothing here may hang the test run.</summary>
    public static CancellationToken Bounded(TimeSpan? limit = null) =>
        new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(60)).Token;

    public static (TestUser User, TestSession Session, MatrixHttpClient Client) NewUser(TestHomeserver hs, string localpart)
    {
        var user = hs.RegisterUser(localpart, localpart + "-password");
        var session = hs.CreateSession(user.UserId);
        return (user, session, MatrixHttpClient.For(hs, session));
    }

    public static JsonArray Timeline(JsonObject sync, string roomId) =>
        sync["rooms"]?["join"]?[roomId]?["timeline"]?["events"] as JsonArray ?? new JsonArray();

    public static IEnumerable<string> Strings(JsonNode? array) =>
        (array as JsonArray ?? new JsonArray()).Select(n => n!.GetValue<string>());

    public static string Next(JsonObject sync) => sync["next_batch"]!.GetValue<string>();
}
