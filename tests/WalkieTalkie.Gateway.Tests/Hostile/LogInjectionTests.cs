using System.Net.Http.Headers;
using System.Text;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Tests.Support;

namespace WalkieTalkie.Gateway.Tests.Hostile;

/// <summary>
/// Client-supplied text (a client id, a user name, a URL) reaches the log with every control character escaped, so
/// that a client cannot forge log lines (CR, LF) or drive an operator's terminal (ESC sequences), even one that never
/// logged in.
/// </summary>
public sealed class LogInjectionTests
{
    [Fact]
    public async Task Control_characters_from_clients_that_never_logged_in_reach_the_log_escaped()
    {
        var g = TestGateway.Create();
        await using var _ = g;
        g.AddBadge("anna");
        g.Http = new HttpOptions { BindAddress = "127.0.0.1", Port = FreePort.Next(), TlsPort = 0 };
        await g.StartAsync();

        await using (var raw = await RawMqttClient.OpenAsync(g.BadgePort))
        {
            var code = await raw.ConnectAsync("evil\r\n12:00:00.000 info: Badge mum is online\u001b[2J", "us\u0007er\u2028", "x");
            Assert.NotEqual(0, code);
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{g.Http.Port}") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/badge/v1/ev%0D%0Ail%1B%5B31m/config");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("x:y")));
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);

        Assert.True(await Eventually.TrueAsync(() => g.Log.Contains("Refused connection", "evil") && g.Log.Contains("Refused config request")));
        var refusals = g.Log.Lines.Where(l => l.Contains("Refused", StringComparison.Ordinal)).ToList();
        Assert.All(refusals, line => Assert.DoesNotContain(line, c => char.IsControl(c) || c is '\u2028' or '\u2029'));
        Assert.Contains(refusals, l => l.Contains(@"evil\r\n12:00:00.000 info: Badge mum is online\x1B[2J", StringComparison.Ordinal));
        Assert.Contains(refusals, l => l.Contains(@"us\x07er\u2028", StringComparison.Ordinal));
        Assert.Contains(refusals, l => l.Contains(@"ev\r\nil\x1B[31m", StringComparison.Ordinal));
    }
}
