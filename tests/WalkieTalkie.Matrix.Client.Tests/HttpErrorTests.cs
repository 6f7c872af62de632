using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using WalkieTalkie.Matrix.Client.Http;
using WalkieTalkie.Matrix.Client.Sessions;
using WalkieTalkie.Matrix.Client.Tests.Support;

namespace WalkieTalkie.Matrix.Client.Tests;

/// <summary>Error mapping and retry decisions, against a scripted handler.</summary>
public sealed class HttpErrorTests
{
    private static readonly Uri Server = new("http://127.0.0.1:1/");

    private static (MatrixClient Client, List<TimeSpan> Delays) Client(ScriptedHandler handler, int maxAttempts = 5)
    {
        var delays = new List<TimeSpan>();
        var options = Harness.FastOptions((d, _) => { delays.Add(d); return Task.CompletedTask; }) with
        {
            Retry = Harness.FastRetry with { MaxAttempts = maxAttempts },
        };
        var client = new MatrixClient(Server, new HttpClient(handler), options);
        client.UseSession(new MatrixSession(Server, "@anna:test.local", "BADGE1", "secret-token"));
        return (client, delays);
    }

    [Fact]
    public async Task A_non_2xx_answer_becomes_a_MatrixException_with_errcode_and_status()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.Forbidden, """{"errcode":"M_FORBIDDEN","error":"You are not invited"}""");
        var (client, _) = Client(handler);

        var error = await Assert.ThrowsAsync<MatrixException>(() => client.JoinRoomAsync("!room:test.local"));
        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.Equal(MatrixErrorCode.Forbidden, error.ErrorCode);
        Assert.Equal("You are not invited", error.Error);
        Assert.Single(handler.Requests);
        Assert.Equal("Bearer secret-token", handler.Requests[0].Authorization);
        Assert.Equal("/_matrix/client/v3/join/%21room%3Atest.local", handler.Requests[0].Path);
    }

    [Fact]
    public async Task A_429_is_retried_after_the_Retry_After_header()
    {
        var handler = new ScriptedHandler()
            .Then(HttpStatusCode.TooManyRequests, """{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":500}""",
                r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3)))
            .Then(HttpStatusCode.OK, """{"event_id":"$sent"}""");
        var (client, delays) = Client(handler);

        var id = await client.SendRoomEventAsync("!r:test.local", "m.room.message", Harness.Text("hi"), "txn1");

        Assert.Equal("$sent", id);
        Assert.Equal([TimeSpan.FromSeconds(3)], delays);
        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.EndsWith("/send/m.room.message/txn1", r.Path));
    }

    [Fact]
    public async Task Without_a_header_the_deprecated_retry_after_ms_is_honoured()
    {
        var handler = new ScriptedHandler()
            .Then(HttpStatusCode.TooManyRequests, """{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":2500}""")
            .Then(HttpStatusCode.OK, """{"joined_rooms":[]}""");
        var (client, delays) = Client(handler);

        await client.GetJoinedRoomsAsync();
        Assert.Equal([TimeSpan.FromMilliseconds(2500)], delays);
    }

    [Fact]
    public async Task Server_errors_and_network_failures_are_retried_with_growing_backoff_on_idempotent_calls()
    {
        var handler = new ScriptedHandler()
            .ThenHtml(HttpStatusCode.BadGateway, "<html>502 Bad Gateway</html>")
            .ThenNetworkFailure()
            .Then(HttpStatusCode.ServiceUnavailable, """{"errcode":"M_UNKNOWN","error":"overloaded"}""")
            .Then(HttpStatusCode.OK, """{"user_id":"@anna:test.local","device_id":"BADGE1"}""");
        var (client, delays) = Client(handler);

        var me = await client.WhoAmIAsync();
        Assert.Equal("BADGE1", me.DeviceId);
        Assert.Equal(4, handler.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40)], delays);
    }

    [Fact]
    public async Task Retries_stop_at_the_attempt_limit_with_the_last_error()
    {
        var handler = new ScriptedHandler()
            .Then(HttpStatusCode.InternalServerError, """{"errcode":"M_UNKNOWN"}""")
            .Then(HttpStatusCode.InternalServerError, """{"errcode":"M_UNKNOWN","error":"still broken"}""");
        var (client, _) = Client(handler, maxAttempts: 2);

        var error = await Assert.ThrowsAsync<MatrixException>(() => client.WhoAmIAsync());
        Assert.Equal(HttpStatusCode.InternalServerError, error.Status);
        Assert.Equal("still broken", error.Error);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task A_media_upload_is_not_repeated_after_a_5xx_because_the_server_may_have_stored_it()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.BadGateway, "{}");
        var (client, _) = Client(handler);

        var error = await Assert.ThrowsAsync<MatrixException>(() => client.UploadMediaAsync(new byte[] { 1, 2, 3 }));
        Assert.Equal(HttpStatusCode.BadGateway, error.Status);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_media_upload_is_repeated_after_a_429_because_the_server_refused_it()
    {
        var handler = new ScriptedHandler()
            .Then(HttpStatusCode.TooManyRequests, """{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":100}""")
            .Then(HttpStatusCode.OK, """{"content_uri":"mxc://test.local/abc"}""");
        var (client, _) = Client(handler);

        Assert.Equal("mxc://test.local/abc", await client.UploadMediaAsync(new byte[] { 1, 2, 3 }, "audio/ogg", "burst.ogg"));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task An_unknown_token_is_never_retried_and_flags_the_account_as_needing_a_login()
    {
        var handler = new ScriptedHandler()
            .Then(HttpStatusCode.Unauthorized, """{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token passed.","soft_logout":false}""");
        var (client, delays) = Client(handler);
        MatrixException? raised = null;
        client.LoginRequired += e => raised = e;

        var error = await Assert.ThrowsAsync<MatrixException>(() => client.WhoAmIAsync());
        Assert.True(error.IsUnknownToken);
        Assert.Contains("needs to log in again", error.Message);
        Assert.Same(error, raised);
        Assert.True(client.NeedsLogin);
        Assert.Empty(delays);
        Assert.Single(handler.Requests);
        Assert.DoesNotContain(handler.Requests, r => r.Path.EndsWith("/login"));
    }

    [Fact]
    public async Task A_login_rate_limit_is_handed_back_with_its_wait_instead_of_being_retried()
    {
        var handler = new ScriptedHandler()
            .Then(HttpStatusCode.TooManyRequests, """{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":330000}""");
        var (client, delays) = Client(handler);

        var error = await Assert.ThrowsAsync<MatrixException>(() =>
            client.LoginAsync(new Auth.PasswordCredentials("anna", "pw", "BADGE1")));
        Assert.True(error.IsRateLimited);
        Assert.Equal(TimeSpan.FromSeconds(330), error.RetryAfter);
        Assert.Empty(delays);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task An_html_error_page_still_gives_a_typed_error()
    {
        var handler = new ScriptedHandler().ThenHtml(HttpStatusCode.NotFound, "<html>nope</html>");
        var (client, _) = Client(handler);

        var error = await Assert.ThrowsAsync<MatrixException>(() => client.InviteAsync("!r:x", "@b:x"));
        Assert.Equal(MatrixErrorCode.Unrecognized, error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.Status);
    }

    [Fact]
    public async Task A_2xx_answer_that_is_not_the_expected_JSON_is_a_typed_error()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.OK, """{"event_id": 42}""");
        var (client, _) = Client(handler);

        var error = await Assert.ThrowsAsync<MatrixException>(() =>
            client.SendRoomEventAsync("!r:x", "m.room.message", new JsonObject(), "t"));
        Assert.Equal(MatrixErrorCode.Unrecognized, error.ErrorCode);
    }
}
