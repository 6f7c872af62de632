using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Gateway.Transports.WebSockets;
using WalkieTalkie.Gateway.Web.Accounts;
using WalkieTalkie.Gateway.Web.ConsoleApi;
using WalkieTalkie.Gateway.Web.MatrixAuth;
using WalkieTalkie.Gateway.Web.Sessions;
using WalkieTalkie.Gateway.Web.Walkie;

namespace WalkieTalkie.Gateway.Web;

/// <summary>
/// The web app on the gateway's Kestrel, one app with two faces (the walkie now, the console next) sharing accounts and
/// sign-in: the WebSocket transport beside MQTT, the sign-in schemes (a cookie for local accounts, a bearer session for
/// Matrix devices), antiforgery, the login rate limit, and the endpoints and pages.
/// </summary>
public static class WebServices
{
    /// <summary>The largest request body the web app takes (a sign-in, an OpenID token).</summary>
    public const int MaxRequestBytes = 8 * 1024;

    public static IServiceCollection AddWalkieWeb(this IServiceCollection services)
    {
        services.AddOptions<WebOptions>().BindConfiguration("Web").ValidateDataAnnotations()
            .Validate(o => o.MatrixServers.Values.All(u => u.Length == 0 || Uri.TryCreate(u, UriKind.Absolute, out _)), "Web:MatrixServers holds a value that is not a URL")
            .ValidateOnStart();
        services.TryAddSingleton(sp =>
        {
            var web = sp.GetRequiredService<IOptions<WebOptions>>().Value;
            return new WebSocketLimits(web.MaxQueuedAudioFrames, web.MaxQueuedControl);
        });
        services.TryAddSingleton<WebSocketTransport>();
        services.AddSingleton<IBadgeTransport>(sp => sp.GetRequiredService<WebSocketTransport>());
        services.TryAddSingleton<SocketTickets>();
        services.TryAddSingleton<MatrixSessions>();
        services.TryAddSingleton<WebRefusals>();
        services.TryAddSingleton<LiveChannels>();
        services.AddSingleton<IGatewayObserver>(sp => sp.GetRequiredService<LiveChannels>());
        services.TryAddSingleton<ConsoleAccess>();
        services.TryAddSingleton<Console.ConsoleLive>();
        services.AddSingleton<IGatewayObserver>(sp => sp.GetRequiredService<Console.ConsoleLive>());
        services.AddHttpClient<OpenIdVerifier>(http => http.Timeout = TimeSpan.FromSeconds(10));

        // The cookie and antiforgery keys live with the gateway's data, so sessions survive a restart.
        services.AddDataProtection();
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<GatewayOptions>>((keys, gateway) =>
            keys.XmlRepository = new OwnerOnlyKeyRepository(Path.Combine(gateway.Value.DataDirectory, "web-keys")));
        services.AddAntiforgery(o =>
        {
            o.HeaderName = AccountEndpoints.AntiforgeryHeader;
            o.Cookie.Name = "walkie.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddAuthentication()
            .AddCookie(AccountEndpoints.CookieScheme, _ => { })
            .AddScheme<AuthenticationSchemeOptions, MatrixSessionAuthentication>(MatrixSessionAuthentication.SchemeName, null);
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(AccountEndpoints.CookieScheme)
            .Configure<IOptions<WebOptions>>((cookie, web) => AccountEndpoints.ConfigureCookie(cookie, TimeSpan.FromHours(web.Value.SessionHours)));
        services.AddAuthorizationBuilder().AddPolicy(WalkieEndpoints.Policy, policy => policy
            .AddAuthenticationSchemes(AccountEndpoints.CookieScheme, MatrixSessionAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(WebClaims.Device))
            .AddPolicy(ConsoleEndpoints.ViewPolicy, policy => policy
                .AddAuthenticationSchemes(AccountEndpoints.CookieScheme, MatrixSessionAuthentication.SchemeName)
                .RequireAuthenticatedUser())
            .AddPolicy(ConsoleEndpoints.AdminPolicy, policy => policy
                .AddAuthenticationSchemes(AccountEndpoints.CookieScheme, MatrixSessionAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .RequireRole(WebRoles.Admin));
        services.TryAddSingleton<ConsoleChangeFilter>();
        services.TryAddSingleton<LoginRateLimit>();
        return services;
    }

    /// <summary>The web app's middleware and endpoints; called by <see cref="GatewayApplication"/> after authentication.</summary>
    public static void MapWalkieWeb(this WebApplication app)
    {
        var web = app.Services.GetRequiredService<IOptions<WebOptions>>().Value;
        if (!web.Enabled)
        {
            return;
        }

        app.UseWalkieClient(web.ClientPath ?? Path.Combine(AppContext.BaseDirectory, "webwalkie"));
        // Kestrel takes no request bodies (badges send none); the web app's JSON requests are small.
        app.Use((context, next) =>
        {
            if ((context.Request.Path.StartsWithSegments("/web") || context.Request.Path.StartsWithSegments("/walkie")
                    || context.Request.Path.StartsWithSegments("/console"))
                && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxRequestBytes;
            }

            return next(context);
        });
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.MapAccounts();
        app.MapWalkie();
        app.MapConsole();
        Console.ConsoleWatchEndpoints.MapConsoleWatch(app);
    }
}
