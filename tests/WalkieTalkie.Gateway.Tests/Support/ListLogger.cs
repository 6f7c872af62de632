using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>Keeps every log line, so tests can check that something was logged (with the badge id).</summary>
public sealed class ListLoggerProvider : ILoggerProvider, ILoggerFactory
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public bool Contains(params string[] parts) => Lines.Any(l => parts.All(p => l.Contains(p, StringComparison.OrdinalIgnoreCase)));

    public int Count(params string[] parts) => Lines.Count(l => parts.All(p => l.Contains(p, StringComparison.OrdinalIgnoreCase)));

    private sealed class ListLogger(ListLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && !category.StartsWith("MQTTnet", StringComparison.Ordinal))
            {
                owner.Lines.Enqueue($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
        }
    }
}
