namespace WalkieTalkie.Build.Tests.Install;

/// <summary>A fact that needs <c>systemd-analyze</c>; skipped, saying so, on a machine without systemd.</summary>
public sealed class SystemdFactAttribute : FactAttribute
{
    public const string Analyze = "/usr/bin/systemd-analyze";

    public SystemdFactAttribute()
    {
        if (!File.Exists(Analyze))
        {
            Skip = $"{Analyze} is not installed (Debian package systemd): the unit is not verified here";
        }
    }
}
