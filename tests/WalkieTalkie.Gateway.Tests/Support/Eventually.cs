namespace WalkieTalkie.Gateway.Tests.Support;

/// <summary>Waits for a condition with a bound (no timing assertions: the bound only stops a broken test).</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, int timeoutMs = 5000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < until)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition();
    }

    /// <summary>
    /// The first non-null value <paramref name="attempt"/> gives, trying again every 100 ms (a network error counts as
    /// no value) until the bound; null when none came.
    /// </summary>
    public static async Task<T?> ValueAsync<T>(Func<Task<T?>> attempt, int timeoutMs = 10000) where T : class
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            try
            {
                if (await attempt() is { } value)
                {
                    return value;
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
            {
            }

            if (DateTime.UtcNow >= until)
            {
                return null;
            }

            await Task.Delay(100);
        }
    }
}
