using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Logging;

namespace WalkieTalkie.Gateway.Web;

/// <summary>
/// Every refusal of the web app (no session, wrong origin, bad ticket, failed login, forged token) is logged once per
/// offender (its address), kind and reason per interval, with what it sent escaped (<see cref="LogText"/>).
/// </summary>
public sealed class WebRefusals(TimeProvider time, ILogger<WebRefusals> logger)
{
    private readonly LogLimiter _limiter = new(time, TimeSpan.FromSeconds(10));

    public void Log(HttpContext context, string what, string reason, string? detail = null)
    {
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (_limiter.ShouldLog(what + ":" + reason + ":" + address))
        {
            logger.LogWarning("Refused {What} from {Address}: {Reason} ({Detail})", what, address, reason, LogText.Escape(detail));
        }
    }
}
