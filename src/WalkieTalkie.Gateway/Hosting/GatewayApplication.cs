using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Web;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// The gateway as one ASP.NET Core application on the Generic Host: <c>walkie run</c>, <c>walkie demo</c>, the tests
/// and the bench all build it here. Kestrel listens where <c>Http</c> says (plain, and HTTPS with the site
/// certificate); with both ports 0 there is no HTTP listener at all.
/// </summary>
public static class GatewayApplication
{
    /// <summary>A builder with the gateway's services; <paramref name="configure"/> may add or replace services (tests do).</summary>
    public static WebApplicationBuilder CreateBuilder(Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddWalkieGateway(builder.Configuration);
        // A refused badge is logged once as a warning (BadgeAuthentication); the framework's own notes are noise.
        builder.Logging.AddFilter(typeof(BadgeAuthentication).FullName, LogLevel.Warning);
        // The web app logs its refusals itself (WebRefusals); data protection's note that keys are stored unencrypted
        // at rest is the operator's choice of data folder.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Authentication", LogLevel.Warning);
        builder.Logging.AddFilter(typeof(Web.Sessions.MatrixSessionAuthentication).FullName, LogLevel.Warning);
        configure?.Invoke(builder);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxRequestHeadersTotalSize = 8 * 1024;
            var http = kestrel.ApplicationServices.GetRequiredService<IOptions<HttpOptions>>().Value;
            var address = IPAddress.Parse(http.BindAddress);
            if (http.Port > 0)
            {
                kestrel.Listen(address, http.Port);
            }

            if (http.TlsPort > 0 && kestrel.ApplicationServices.GetRequiredService<SiteTls>().Certificate is { } certificate)
            {
                kestrel.Listen(address, http.TlsPort, listen => listen.UseHttps(certificate));
            }
        });
        return builder;
    }

    /// <summary>Builds the application and maps its endpoints.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var http = builder.Configuration.GetSection("Http").Get<HttpOptions>() ?? new HttpOptions();
        if (http.Port <= 0 && http.TlsPort <= 0)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<IServer, NoServer>());
        }

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapBadgeApi();
        app.MapWalkieWeb();
        app.MapSiteLinks();
        return app;
    }
}
