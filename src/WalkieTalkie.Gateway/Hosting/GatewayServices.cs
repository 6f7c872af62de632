using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Bursts;
using WalkieTalkie.Gateway.Engine;
using WalkieTalkie.Gateway.Floor;
using WalkieTalkie.Gateway.Http;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Recording;
using WalkieTalkie.Gateway.Security;
using WalkieTalkie.Gateway.Sites;
using WalkieTalkie.Gateway.Status;
using WalkieTalkie.Gateway.Storage;
using WalkieTalkie.Gateway.Transports;
using WalkieTalkie.Gateway.Transports.Mqtt;
using WalkieTalkie.Gateway.Web;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// The composition root of the running gateway: validated options, the one clock, the stores, the transports, the
/// engine, its observers and the hosted services that run them, in the order they start (and the reverse in which
/// they stop).
/// </summary>
public static class GatewayServices
{
    public static IServiceCollection AddWalkieGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddWalkieStorage(configuration).AddWalkieAdministration();
        services.AddOptions<FloorOptions>().BindConfiguration("Floor").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MqttOptions>().BindConfiguration("Mqtt").ValidateDataAnnotations()
            .Validate(o => System.Net.IPAddress.TryParse(o.BindAddress, out _), "Mqtt:BindAddress is not an IP address")
            .Validate(o => o.IsExternal || o.Port > 0 || o.TlsPort > 0, "the embedded broker needs Mqtt:TlsPort (or, in development, Mqtt:Port)")
            .Validate<IOptions<GatewayOptions>>((o, g) => o.IsExternal || o.Port == 0 || g.Value.Development, DevelopmentMode.PlainPortRefused("Mqtt:Port"))
            .ValidateOnStart();
        services.AddOptions<HttpOptions>().BindConfiguration("Http").ValidateDataAnnotations()
            .Validate(o => System.Net.IPAddress.TryParse(o.BindAddress, out _), "Http:BindAddress is not an IP address")
            .Validate<IOptions<GatewayOptions>>((o, g) => o.Port == 0 || g.Value.Development, DevelopmentMode.PlainPortRefused("Http:Port"))
            .ValidateOnStart();
        services.AddOptions<LimitOptions>().BindConfiguration("Limits").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Sites.Floor.SiteFloorOptions>().BindConfiguration(Sites.Floor.SiteFloorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MatrixBridgeOptions>().BindConfiguration("Matrix")
            .Validate(o => !o.IsConfigured || Uri.TryCreate(o.Homeserver, UriKind.Absolute, out _), "Matrix:Homeserver is not a URL")
            .ValidateOnStart();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        services.TryAddSingleton<SiteTls>();
        services.TryAddSingleton<RecordingRecovery>();
        services.TryAddSingleton<RecordingWriter>();
        services.TryAddSingleton<EngineStorage>();
        services.TryAddSingleton<CurrentRegistry>();
        services.TryAddSingleton<IRegistryView>(sp => sp.GetRequiredService<CurrentRegistry>());
        services.TryAddSingleton<GatewayObservers>();
        services.TryAddSingleton<ChannelOwnership>();
        services.TryAddSingleton<HeardLive>();
        services.TryAddSingleton<GatewayEngine>();
        services.TryAddSingleton<StatusRecorder>();
        services.AddSingleton<IGatewayObserver>(sp => sp.GetRequiredService<StatusRecorder>());
        // Several gateways on one database: the engine's reports reach the Matrix bridge, wherever it runs, through it.
        services.TryAddSingleton<EngineReportHandOver>();
        services.AddSingleton<IGatewayObserver>(sp => sp.GetRequiredService<EngineReportHandOver>());

        services.TryAddSingleton<BadgeRefusals>();
        services.TryAddSingleton<LoginThrottle>();
        services.TryAddSingleton<BadgeAuthenticator>();
        services.TryAddSingleton(sp =>
        {
            var mqtt = sp.GetRequiredService<IOptions<MqttOptions>>().Value;
            return new FloodLimits(mqtt.FloodMessagesPerSecond, mqtt.FloodBurst, mqtt.ControlMessagesPerSecond, mqtt.ControlBurst);
        });
        services.TryAddSingleton<FloodGuard>();
        services.TryAddSingleton<EmbeddedBrokerLink>();
        services.TryAddSingleton<ExternalBrokerLink>();
        services.AddSingleton<IBadgeTransport>(sp =>
            sp.GetRequiredService<IOptions<MqttOptions>>().Value.IsExternal
                ? sp.GetRequiredService<ExternalBrokerLink>()
                : sp.GetRequiredService<EmbeddedBrokerLink>());
        // The web walkie's WebSocket transport (after MQTT: a badge never seen is sent to over MQTT) and the web app.
        services.AddWalkieWeb();
        services.TryAddSingleton<CompositeBadgeLink>();
        services.TryAddSingleton<IBadgeLink>(sp => sp.GetRequiredService<CompositeBadgeLink>());

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, BadgeAuthentication>(BadgeAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(BadgeApi.Policy, policy =>
            policy.AddAuthenticationSchemes(BadgeAuthentication.SchemeName).RequireAuthenticatedUser());

        // Started in this order, stopped in the reverse one.
        services.AddHostedService<GatewayStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<StatusRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<EngineReportHandOver>()); // stopped after the engine: its last reports are written
        services.AddHostedService<ChannelLeaseService>(); // stopped after the engine: its bursts end as a shutdown, not a lost lease
        services.AddHostedService<TransportService>();
        services.AddHostedService<EngineLoopService>();
        services.AddHostedService<EngineTicker>();
        services.AddHostedService<RegistryReloader>();
        services.AddHostedService<RetentionService>();
        services.TryAddSingleton<MatrixBridgeService>();
        services.AddHostedService(sp => sp.GetRequiredService<MatrixBridgeService>());
        services.AddWalkieSites();
        return services;
    }
}
