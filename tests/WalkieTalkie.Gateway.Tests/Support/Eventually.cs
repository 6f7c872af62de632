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
}
