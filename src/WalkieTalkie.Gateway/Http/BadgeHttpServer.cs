using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WalkieTalkie.Gateway.Hosting;

namespace WalkieTalkie.Gateway.Http;

/// <summary>
/// Kestrel inside the gateway: the endpoints badges reach over HTTP(S). Plain HTTP for development, HTTPS with the
/// site certificate (the badges' trust anchor) in production.
/// </summary>
public sealed class BadgeHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BadgeHttpServer(WebApplication app) => _app = app;

    public static async Task<BadgeHttpServer?> StartAsync(HttpOptions options, X509Certificate2? certificate, BadgeConfigEndpoint config,
        ILogger logger, CancellationToken cancellationToken)
    {
        if (options.Port <= 0 && (options.TlsPort <= 0 || certificate is null))
        {
            return null;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        var address = IPAddress.Parse(options.BindAddress);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxRequestHeadersTotalSize = 8 * 1024;
            if (options.Port > 0)
            {
                kestrel.Listen(address, options.Port);
            }

            if (options.TlsPort > 0 && certificate is not null)
            {
                kestrel.Listen(address, options.TlsPort, listen => listen.UseHttps(certificate));
            }
        });
        var app = builder.Build();
        app.MapGet(BadgeConfigEndpoint.Route, (HttpContext context, string badgeId) => config.Handle(context, badgeId));
        await app.StartAsync(cancellationToken);
        logger.LogInformation("Badge HTTP endpoint on {Address} port {Port}, HTTPS port {TlsPort}", options.BindAddress, options.Port,
            certificate is null ? 0 : options.TlsPort);
        return new BadgeHttpServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
