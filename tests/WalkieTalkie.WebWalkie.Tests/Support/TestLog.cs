using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WalkieTalkie.WebWalkie.Tests.Support;

/// <summary>The gateway's and the browser's log lines, kept for assertions and written to the test output.</summary>
public sealed class TestLog(ITestOutputHelper output) : ILoggerProvider, ILoggerFactory
{
    private readonly DateTime _start = DateTime.UtcNow;

    public ConcurrentQueue<string> Lines { get; } = new();

    public void Write(string line)
    {
        var stamped = $"{(DateTime.UtcNow - _start).TotalSeconds,7:0.000} {line}";
        Lines.Enqueue(stamped);
        try
        {
            output.WriteLine(stamped);
        }
        catch (InvalidOperationException)
        {
            // The test has ended; a late line from a background task has no place to go.
        }
    }

    public bool Contains(params string[] parts) => Lines.Any(l => parts.All(p => l.Contains(p, StringComparison.OrdinalIgnoreCase)));

    public int Count(params string[] parts) => Lines.Count(l => parts.All(p => l.Contains(p, StringComparison.OrdinalIgnoreCase)));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(TestLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        // The framework's own request notes are noise here; its warnings are not.
        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= (category.StartsWith("Microsoft.", StringComparison.Ordinal) ? LogLevel.Warning : LogLevel.Information);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Write($"{logLevel,-11} {category.Split('.').Last()}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
        }
    }
}
