namespace WalkieTalkie.Gateway.Storage;

/// <summary>The ranges a channel's settings must be in, checked by every channel store before it writes.</summary>
public static class ChannelValues
{
    /// <exception cref="RegistryException">Not 0-255.</exception>
    public static void CheckNumber(int number)
    {
        if (number is < 0 or > 255)
        {
            throw new RegistryException("a channel number is 0-255");
        }
    }

    /// <exception cref="RegistryException">Not 8000 or 16000.</exception>
    public static void CheckSampleRate(int sampleRate)
    {
        if (sampleRate is not (8000 or 16000))
        {
            throw new RegistryException("a channel's sample rate is 8000 or 16000");
        }
    }

    /// <exception cref="RegistryException">Not 1-65535.</exception>
    public static void CheckMaxTalk(int seconds)
    {
        if (seconds is < 1 or > ushort.MaxValue)
        {
            throw new RegistryException("max talk seconds must be 1-65535");
        }
    }

    /// <exception cref="RegistryException">Not 0 (for good) or 1 to <see cref="ChannelRecord.MaxRetentionDays"/>.</exception>
    public static void CheckRetention(int days)
    {
        if (days is < 0 or > ChannelRecord.MaxRetentionDays)
        {
            throw new RegistryException($"a channel's recordings are kept 1-{ChannelRecord.MaxRetentionDays} days, or 0 for good");
        }
    }
}
