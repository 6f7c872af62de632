namespace WalkieTalkie.Protocol.Control
{
    /// <summary>The idle state a badge announces before it enters it.</summary>
    public enum SleepMode : byte
    {
        Standby = 1,
        Pocket = 2,
    }
}
