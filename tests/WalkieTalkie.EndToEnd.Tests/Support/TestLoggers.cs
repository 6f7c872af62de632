using Microsoft.Extensions.Logging;

namespace WalkieTalkie.EndToEnd.Tests.Support;

/// <summary>The loggers a gateway under test writes to: the test output, and any providers a test reads back.</summary>
public static class TestLoggers
{
    public static ILoggerFactory Create(ITestOutputHelper output, params ILoggerProvider[] alsoTo) =>
        LoggerFactory.Create(b =>
        {
            b.AddProvider(new XunitLoggerProvider(output));
            foreach (var provider in alsoTo)
            {
                b.AddProvider(provider);
            }

            b.SetMinimumLevel(LogLevel.Information);
        });
}
