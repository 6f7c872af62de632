using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Badge.Tests.Fakes;

/// <summary>An access point a test sets (null: not known yet).</summary>
public sealed class FakeAccessPoint : IAccessPointInfo
{
    public byte[]? Bssid { get; set; }

    public bool TryGetBssid(byte[] into)
    {
        if (Bssid is null)
        {
            return false;
        }

        Bssid.CopyTo(into, 0);
        return true;
    }
}
