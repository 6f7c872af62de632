using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WalkieTalkie.EndToEnd.Tests.Support;

/// <summary>Keeps the formatted log lines (information and up) so a test can assert what the gateway said.</summary>
public sealed class LogLines : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>Every line so far, oldest first.</summary>
    public IReadOnlyList<string> All => _lines.ToArray();

    /// <summary>The lines that contain every one of <paramref name="parts"/>.</summary>
    public IReadOnlyList<string> With(params string[] parts) =>
        All.Where(line => parts.All(p => line.Contains(p, StringComparison.Ordinal))).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogLines owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._lines.Enqueue(formatter(state, exception));
            }
        }
    }
}
