namespace WalkieTalkie.Device.Settings
{
    /// <summary>The firmware's version, reported in <c>badge-state</c> and at boot.</summary>
    public static class FirmwareVersion
    {
        public const string Current = "0.1.0";
    }
}
