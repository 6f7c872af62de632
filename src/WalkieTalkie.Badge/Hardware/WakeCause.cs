namespace WalkieTalkie.Badge.Hardware
{
    /// <summary>Why the badge is (re)starting.</summary>
    public enum WakeCause : byte
    {
        /// <summary>Power on or a reset: nothing to hurry for.</summary>
        Reset = 0,

        /// <summary>Push-to-talk woke it from pocket sleep: reach "you may talk" as fast as possible.</summary>
        Button = 1,

        /// <summary>The check-in timer woke it from pocket sleep: fetch what waits, play it, sleep again.</summary>
        Timer = 2,
    }
}
