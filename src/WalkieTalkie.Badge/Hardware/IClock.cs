namespace WalkieTalkie.Badge.Hardware
{
    /// <summary>Time, as the badge needs it.</summary>
    public interface IClock
    {
        /// <summary>A monotonic count of milliseconds since an arbitrary start.</summary>
        long Milliseconds { get; }

        /// <summary>The wall clock in Unix seconds (0 while unknown, before the first time sync).</summary>
        uint UnixSeconds { get; }
    }
}
