using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WalkieTalkie.Gateway.Administration;

/// <summary>The application layer the CLI and the console share, over the stores of <c>StorageServices</c>.</summary>
public static class AdministrationServices
{
    public static IServiceCollection AddWalkieAdministration(this IServiceCollection services)
    {
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<BadgeAdministration>();
        services.TryAddSingleton<ChannelAdministration>();
        services.TryAddSingleton<ChannelLinking>();
        services.TryAddSingleton<PermitAdministration>();
        services.TryAddSingleton<DevicePermitAdministration>();
        services.TryAddSingleton<EmergencyAdministration>();
        services.TryAddSingleton<ConsoleAccess>();
        return services;
    }
}
