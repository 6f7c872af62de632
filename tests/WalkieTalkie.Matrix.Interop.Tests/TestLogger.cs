using Microsoft.Extensions.Logging;

namespace WalkieTalkie.Matrix.Interop.Tests;

/// <summary>Writes log lines to the test's output (shown when a test fails).</summary>
internal sealed class TestLogger(ITestOutputHelper output, string name) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"[{name} {logLevel}] {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; a background loop logged after it.
        }
    }
}
