using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WalkieTalkie.Gateway.Administration;
using WalkieTalkie.Gateway.Hosting;
using WalkieTalkie.Gateway.MatrixBridge;
using WalkieTalkie.Gateway.Storage;

namespace WalkieTalkie.Gateway.Cli;

/// <summary>
/// The admin commands' services: the same stores the running service uses (<see cref="StorageServices"/>), found
/// through the same settings (or <c>--data</c>).
/// </summary>
public static class CliServices
{
    public static ServiceProvider Open(ParseResult parse, Option<string?> data)
    {
        var configuration = WalkieConfiguration.Build([], parse.GetValue(data));
        var services = new ServiceCollection().AddWalkieStorage(configuration).AddWalkieAdministration();
        services.AddOptions<MatrixBridgeOptions>().BindConfiguration("Matrix");
        return services.BuildServiceProvider();
    }

    public static GatewayOptions Gateway(this IServiceProvider services) => services.GetRequiredService<IOptions<GatewayOptions>>().Value;

    public static MatrixBridgeOptions Matrix(this IServiceProvider services) => services.GetRequiredService<IOptions<MatrixBridgeOptions>>().Value;

    /// <summary>
    /// Runs an admin action; a registry error, a data folder, database or recording that cannot be used, or an
    /// unusable recording key is printed plainly and exits with 1.
    /// </summary>
    public static int Run(ParseResult parse, Option<string?> data, Action<IServiceProvider> action)
    {
        try
        {
            using var services = Open(parse, data);
            action(services);
            return 0;
        }
        catch (Exception e) when (e is RegistryException or IOException or InvalidDataException or UnauthorizedAccessException
                                       or System.Data.Common.DbException or StorageUnavailableException or OptionsValidationException
                                       or Security.RecordingKeyException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }
}
