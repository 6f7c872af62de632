namespace WalkieTalkie.Badge.Hardware
{
    /// <summary>Power states and the battery.</summary>
    public interface IPower
    {
        /// <summary>Why the badge started (read once by <see cref="Machine.BadgeController.Start()"/>).</summary>
        WakeCause WakeCause { get; }

        /// <summary>Battery voltage in millivolts, 0 when unknown.</summary>
        int BatteryMillivolts { get; }

        /// <summary>Battery charge 0..100, or -1 when unknown.</summary>
        int BatteryPercent { get; }

        /// <summary>
        /// Standby on: the audio path is powered down (amplifier off, I2S released) while Wi-Fi and the MQTT session
        /// stay up in modem sleep. Off: the audio path is powered again.
        /// </summary>
        void SetStandby(bool on);

        /// <summary>
        /// Pocket sleep (deep sleep) for <paramref name="checkInSeconds"/>, then a check-in (0: only the button wakes
        /// it). An interval, not a time of day, so a badge whose clock was never set still wakes to check in. On the
        /// device this does not return: the badge restarts with <see cref="WakeCause"/> Button or Timer. A simulation
        /// returns, and the badge then waits for the push-to-talk button or the interval itself.
        /// </summary>
        void EnterPocket(uint checkInSeconds);
    }
}
