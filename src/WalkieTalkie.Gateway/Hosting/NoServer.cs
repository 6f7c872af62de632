using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>The server when HTTP is turned off (<c>Http:Port=0</c> and <c>Http:TlsPort=0</c>): it listens nowhere.</summary>
public sealed class NoServer : IServer
{
    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
        Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }
}
