using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WalkieTalkie.Gateway.Web.Accounts;

/// <summary>
/// Sign-in attempts per client address: <see cref="WebOptions.LoginAttemptsPerMinute"/> a minute, shared by every
/// endpoint that takes a password or a Matrix token; past that, 429 with Retry-After and one log line per address.
/// </summary>
/// <remarks>
/// Each address has a <see cref="FixedWindowRateLimiter"/> that replenishes when asked, after its window, not on a
/// timer. ASP.NET Core's rate-limiting middleware keeps a timer firing ten times a second for as long as the gateway
/// runs, whether anyone signs in or not: a timer thread's and a pool thread's wake-up each time, on a small machine
/// that idles all day. Addresses idle for a window are forgotten once many are kept.
/// </remarks>
public sealed class LoginRateLimit(IOptions<WebOptions> options, WebRefusals refusals)
{
    private const int ForgetIdleAbove = 1024;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, FixedWindowRateLimiter> _addresses = new(StringComparer.Ordinal);

    /// <summary>Addresses with a limiter kept now.</summary>
    public int Addresses => _addresses.Count;

    /// <summary>True when the address may try now (and the try is counted).</summary>
    public bool TryAcquire(string address)
    {
        var limiter = _addresses.GetOrAdd(address, _ => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.LoginAttemptsPerMinute,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = false,
        }));
        limiter.TryReplenish();
        using var lease = limiter.AttemptAcquire();
        if (_addresses.Count > ForgetIdleAbove)
        {
            ForgetIdle();
        }

        return lease.IsAcquired;
    }

    private void ForgetIdle()
    {
        foreach (var (address, limiter) in _addresses)
        {
            // Replenished first: a limiter is idle (IdleDuration set) once its window passed with permits given back.
            limiter.TryReplenish();
            if (limiter.IdleDuration is { } idle && idle >= Window && _addresses.TryRemove(new KeyValuePair<string, FixedWindowRateLimiter>(address, limiter)))
            {
                limiter.Dispose();
            }
        }
    }

    internal async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (TryAcquire(http.Connection.RemoteIpAddress?.ToString() ?? ""))
        {
            return await next(context);
        }

        refusals.Log(http, "sign-in", "too many attempts (rate limit)");
        http.Response.Headers.RetryAfter = "60";
        return Results.StatusCode(StatusCodes.Status429TooManyRequests);
    }
}

/// <summary>Puts an endpoint under <see cref="LoginRateLimit"/>.</summary>
public static class LoginRateLimitExtensions
{
    public static RouteHandlerBuilder RequireLoginRateLimit(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<LoginRateLimit>().FilterAsync(context, next));
}
