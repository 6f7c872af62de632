using System.Collections.Concurrent;
using System.Diagnostics;
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
/// that idles all day. Once many addresses are kept, those whose window passed are forgotten, at most once a window.
/// </remarks>
public sealed class LoginRateLimit
{
    private readonly IOptions<WebOptions> _options;
    private readonly WebRefusals _refusals;
    private readonly TimeSpan _window;
    private readonly int _forgetIdleAbove;
    private readonly ConcurrentDictionary<string, FixedWindowRateLimiter> _addresses = new(StringComparer.Ordinal);
    private long _nextSweep;

    public LoginRateLimit(IOptions<WebOptions> options, WebRefusals refusals)
        : this(options, refusals, TimeSpan.FromMinutes(1), forgetIdleAbove: 1024)
    {
    }

    /// <summary>A shorter <paramref name="window"/> and fewer addresses kept, for tests.</summary>
    internal LoginRateLimit(IOptions<WebOptions> options, WebRefusals refusals, TimeSpan window, int forgetIdleAbove)
    {
        _options = options;
        _refusals = refusals;
        _window = window;
        _forgetIdleAbove = forgetIdleAbove;
    }

    /// <summary>Addresses with a limiter kept now.</summary>
    public int Addresses => _addresses.Count;

    /// <summary>True when the address may try now (and the try is counted).</summary>
    public bool TryAcquire(string address)
    {
        var limiter = _addresses.GetOrAdd(address, _ => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = _options.Value.LoginAttemptsPerMinute,
            Window = _window,
            QueueLimit = 0,
            AutoReplenishment = false,
        }));
        limiter.TryReplenish();
        using var lease = limiter.AttemptAcquire();
        if (_addresses.Count > _forgetIdleAbove)
        {
            ForgetIdle();
        }

        return lease.IsAcquired;
    }

    // At most once a window, so that many addresses trying at once do not each pay a walk over all of them.
    private void ForgetIdle()
    {
        var now = Stopwatch.GetTimestamp();
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)(_window.TotalSeconds * Stopwatch.Frequency), due) != due)
        {
            return;
        }

        foreach (var (address, limiter) in _addresses)
        {
            // Idle (IdleDuration set) once its window passed and its permits came back: it holds nothing worth
            // remembering, a new one would count the same. Not disposed: a request may have just taken it.
            limiter.TryReplenish();
            if (limiter.IdleDuration is not null)
            {
                _addresses.TryRemove(new KeyValuePair<string, FixedWindowRateLimiter>(address, limiter));
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

        _refusals.Log(http, "sign-in", "too many attempts (rate limit)");
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
